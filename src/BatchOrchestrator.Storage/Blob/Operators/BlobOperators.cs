using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Storage.Blob.Operators;

/// <summary>
/// Registers <c>blob_wait&gt;</c> and <c>blob&gt;</c> with a host's <see cref="OperatorRegistry"/>
/// (the engine knows them only by name). The host's default account, used by tasks that name
/// none, comes from <c>BO_BLOB_CONNECTION_STRING</c> or <c>BO_BLOB_ACCOUNT_URL</c>.
/// </summary>
public sealed class BlobOperators
{
    public const string ConnectionStringVariable = "BO_BLOB_CONNECTION_STRING";
    public const string AccountUrlVariable = "BO_BLOB_ACCOUNT_URL";

    private readonly BlobOperatorAccounts _accounts;
    private readonly ILogStore _logs;
    private readonly TimeProvider _clock;

    /// <param name="logs">Where the operators write their lines (the host's masking log store).</param>
    /// <param name="hostDefault">The account of tasks that name none, or null.</param>
    /// <param name="clock">The clock <c>blob_wait&gt;</c> measures its timeout with.</param>
    public BlobOperators(ILogStore logs, BlobAccount? hostDefault, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(logs);
        _accounts = new BlobOperatorAccounts(hostDefault);
        _logs = logs;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The operators with the default account the process environment names (or none).</summary>
    /// <exception cref="ArgumentException">Both variables are set, or the URL is malformed.</exception>
    public static BlobOperators FromEnvironment(ILogStore logs) => FromVariables(logs, Environment.GetEnvironmentVariable);

    /// <summary>The operators with the default account <paramref name="variable"/> names (or none): a host's settings.</summary>
    /// <exception cref="ArgumentException">Both variables are set, or the URL is malformed.</exception>
    public static BlobOperators FromVariables(ILogStore logs, Func<string, string?> variable) =>
        new(logs, BlobAccountVariables.Read(variable, ConnectionStringVariable, AccountUrlVariable));

    /// <summary>Adds <c>blob_wait&gt;</c> and <c>blob&gt;</c>; returns the registry for chaining.</summary>
    public OperatorRegistry AddTo(OperatorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .Add(new BlobWaitOperator(_accounts, _logs, _clock))
            .Add(new BlobOperator(_accounts, _logs));
    }
}
