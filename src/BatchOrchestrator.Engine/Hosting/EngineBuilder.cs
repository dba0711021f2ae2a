using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
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
        var operators = Operators(options, logs, http);

        // require> starts sessions through the launcher, which needs the host's client, which the
        // host has only once its runtime runs the activities made here: bound in Launch.
        var sessions = new SessionStarter();
        var secrets = new TaskSecrets(options.Secrets ?? new EmptySecretStore(), logs);
        var activities = new WorkflowActivities(operators, executors, logs, options.Runs, options.Revisions, sessions, secrets);
        var orchestrator = new WorkflowOrchestrator(new WorkflowServices([new ShOperator(), new PyOperator()], options.Workflows));
        return new EngineParts(options, logs, executors, operators, activities, orchestrator, sessions, http);
    }

    /// <summary>The operator registry: the host's operators first, then the built-ins every host offers.</summary>
    private static OperatorRegistry Operators(EngineOptions options, MaskingLogStore logs, HttpClient http)
    {
        var registry = new OperatorRegistry();
        foreach (var add in options.Operators)
        {
            registry = add(registry, logs);
        }

        return registry.AddBuiltins(http, logs, options.Params, options.WebhookRetry);
    }
}
