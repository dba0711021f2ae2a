using BatchOrchestrator.Engine.Hosting;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin.Http;
using BatchOrchestrator.Storage.Blob.Operators;

namespace BatchOrchestrator.Server.Local;

/// <summary>The operators of the local host, made in one place so <c>bo check</c> validates against what <see cref="LocalEngine"/> runs.</summary>
public static class LocalOperators
{
    /// <summary>
    /// The built-ins, Blob storage's (its default account from the environment; nothing is
    /// contacted), then <paramref name="extra"/> (<see cref="LocalEngineOptions.ExtraOperators"/>).
    /// </summary>
    /// <exception cref="ArgumentException">An extra operator takes a name already registered.</exception>
    public static OperatorRegistry Create(IReadOnlyList<OperatorDefinition> extra, HttpRetryPolicy? webhookRetry = null)
    {
        ArgumentNullException.ThrowIfNull(extra);
        return EngineBuilder.Operators([.. BlobOperators.FromEnvironment().Definitions, .. extra], webhookRetry);
    }
}
