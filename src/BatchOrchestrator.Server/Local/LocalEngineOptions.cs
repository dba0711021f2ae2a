using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Server.Local;

/// <summary>Where the local engine keeps its state, and how hard it works.</summary>
/// <param name="StateDirectory">The project-local state folder (<c>.bo</c>): runtime database, records, logs, revisions.</param>
public sealed record LocalEngineOptions(string StateDirectory)
{
    /// <summary>Activities at once (scripting tasks run as processes, so this bounds parallel processes too).</summary>
    public int ActivityWorkers { get; init; } = Math.Max(4, Environment.ProcessorCount * 2);

    public WorkflowEngineOptions Engine { get; init; } = new();

    /// <summary>The key of the state folder's <c>secrets.enc</c>: <c>BO_SECRETS_KEY</c>, else the default key file.</summary>
    public SecretKeySource SecretKey { get; init; } = SecretKeySource.FromEnvironment();

    /// <summary>
    /// The store <c>${secret:...}</c> reads when the host chose one (<c>BO_SECRETS</c>: Key Vault,
    /// a Kubernetes Secret; <see cref="SecretStoreConfiguration.SecretStoreAsync"/>); the state
    /// folder's encrypted file otherwise. The engine disposes it.
    /// </summary>
    public ISecretStore? SecretStore { get; init; }

    /// <summary>
    /// Where project revisions are kept when the host shares them with other instances (Blob
    /// storage, <c>BO_PROJECT_BLOB_*</c>); the state folder's <c>revisions/</c> when null.
    /// </summary>
    public IProjectRevisionStore? Revisions { get; init; }

    /// <summary>Retries of notification webhooks (<c>notify&gt;</c>); the operator's default policy when null.</summary>
    public Engine.Operators.Builtin.Http.HttpRetryPolicy? WebhookRetry { get; init; }

    /// <summary>
    /// Executors besides the local one (e.g. <c>kubernetes</c>), each made over the engine's
    /// masking log store. Host configuration decides them, never workflow files.
    /// </summary>
    public IReadOnlyList<Func<ILogStore, ICommandExecutor>> ExtraExecutors { get; init; } = [];

    /// <summary>
    /// Operators besides the built-in and Blob ones (a plug-in's), registered by the host; a name
    /// already taken is refused at start. <c>bo check</c> must be given the same (see
    /// <see cref="LocalOperators.Create"/>).
    /// </summary>
    public IReadOnlyList<Engine.Operators.OperatorDefinition> ExtraOperators { get; init; } = [];

    /// <summary>Where the engine records metrics and spans; one of its own (disposed with it) when null.</summary>
    public Engine.Telemetry.EngineTelemetry? Telemetry { get; init; }
}
