using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Storage.Blob.Operators;

namespace BatchOrchestrator.Language.Tests.TestSupport;

/// <summary>
/// The operators the hosts register (built-ins and Blob's), which workflows are checked against:
/// the Language describes no operator itself. No default Blob account, so the environment of the
/// test run changes nothing.
/// </summary>
internal static class HostOperators
{
    public static OperatorRegistry Catalog { get; } = new BlobOperators(hostDefault: null).AddTo(new OperatorRegistry().AddBuiltins());
}
