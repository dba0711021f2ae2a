using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Storage.Blob.Operators;

/// <summary>
/// The definitions of <c>blob_wait&gt;</c> and <c>blob&gt;</c>, for a host's <see cref="OperatorRegistry"/>
/// (the engine knows them only through it). The host's default account, used by tasks that name
/// none, comes from <c>BO_BLOB_CONNECTION_STRING</c> or <c>BO_BLOB_ACCOUNT_URL</c>. Reading the
/// settings contacts nothing, so <c>bo check</c> registers them as the host does.
/// </summary>
public sealed class BlobOperators
{
    public const string ConnectionStringVariable = "BO_BLOB_CONNECTION_STRING";
    public const string AccountUrlVariable = "BO_BLOB_ACCOUNT_URL";

    private readonly BlobOperatorAccounts _accounts;
    private readonly TimeProvider _clock;

    /// <param name="hostDefault">The account of tasks that name none, or null.</param>
    /// <param name="clock">The clock <c>blob_wait&gt;</c> measures its timeout with.</param>
    public BlobOperators(BlobAccount? hostDefault, TimeProvider? clock = null)
    {
        _accounts = new BlobOperatorAccounts(hostDefault);
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The operators with the default account the process environment names (or none).</summary>
    /// <exception cref="ArgumentException">Both variables are set, or the URL is malformed.</exception>
    public static BlobOperators FromEnvironment() => FromVariables(Environment.GetEnvironmentVariable);

    /// <summary>The operators with the default account <paramref name="variable"/> names (or none): a host's settings.</summary>
    /// <exception cref="ArgumentException">Both variables are set, or the URL is malformed.</exception>
    public static BlobOperators FromVariables(Func<string, string?> variable) =>
        new(BlobAccountVariables.Read(variable, ConnectionStringVariable, AccountUrlVariable));

    /// <summary>Both definitions; the operators write their lines to the host's masking log store.</summary>
    public IReadOnlyList<OperatorDefinition> Definitions =>
    [
        OperatorDefinition.Activity(BlobWaitOperator.Description, services => new BlobWaitOperator(_accounts, services.Logs, _clock)),
        OperatorDefinition.Activity(BlobOperator.Description, services => new BlobOperator(_accounts, services.Logs)),
    ];

    /// <summary>Adds <c>blob_wait&gt;</c> and <c>blob&gt;</c>; returns the registry for chaining.</summary>
    public OperatorRegistry AddTo(OperatorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.AddRange(Definitions);
    }
}
