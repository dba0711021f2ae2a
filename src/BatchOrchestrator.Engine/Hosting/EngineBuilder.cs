using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Engine.Operators.Builtin.Http;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Hosting;

/// <summary>
/// Makes the engine's parts — operator registry, activities, orchestrator and their function
/// table — the one way every host gets them. A host adds only its durable runtime or client,
/// its stores and its executors (through <see cref="EngineOptions"/>), then calls
/// <see cref="EngineParts.Launch"/> with its orchestration client.
/// </summary>
public static class EngineBuilder
{
    public static EngineParts Build(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Executors and operators write through the masking store, so each try's secret values are masked before they reach a log.
        var logs = new MaskingLogStore(options.Logs);
        var executors = options.Executors.Select(make => make(logs)).ToList();

        // One client for every http> task (pooled connections); each request has its own timeout option.
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };

        // require> starts sessions through the launcher, which needs the host's client, which the
        // host has only once its runtime runs the activities made here: bound in Launch.
        var sessions = new SessionStarter();
        var secrets = new TaskSecrets(options.Secrets ?? new EmptySecretStore(), logs);
        var activityOperators = options.Operators.CreateActivities(new OperatorServices(http, logs, options.Params));
        var services = new WorkflowServices(options.Operators, options.Workflows, telemetry: options.Telemetry);
        // A workflow the LoadWorkflow activity checks here is compiled once for both (same process).
        var activities = new WorkflowActivities(activityOperators, executors, logs, options.Runs, options.Revisions, sessions, secrets, options.Telemetry, options.Clock, services.Workflows);
        var orchestrator = new WorkflowOrchestrator(services);
        return new EngineParts(options, logs, executors, options.Operators, activities, orchestrator, sessions, http);
    }

    /// <summary>
    /// The registry every host starts from: the built-in operators (<c>notify&gt;</c> retrying its
    /// webhooks with <paramref name="webhookRetry"/>, its default policy when null), then the
    /// host's own definitions; a name registered twice is refused.
    /// </summary>
    public static OperatorRegistry Operators(IEnumerable<OperatorDefinition> hostOperators, HttpRetryPolicy? webhookRetry = null)
    {
        ArgumentNullException.ThrowIfNull(hostOperators);
        return new OperatorRegistry().AddBuiltins(webhookRetry).AddRange(hostOperators);
    }
}
