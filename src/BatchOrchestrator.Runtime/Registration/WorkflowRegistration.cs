using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Runtime.Registration;

/// <summary>Registers the interpreter's function table on the embedded runtime: the runtime sees names, types and delegates, never the interpreter's classes.</summary>
public static class WorkflowRegistration
{
    /// <summary>Adds every orchestrator and activity of <paramref name="functions"/> under its name.</summary>
    public static OrchestrationRegistry AddWorkflows(this OrchestrationRegistry registry, WorkflowFunctionTable functions)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(functions);
        foreach (var orchestrator in functions.Orchestrators)
        {
            registry.AddOrchestrator<object?>(orchestrator.Name, orchestrator.RunAsync);
        }

        foreach (var activity in functions.Activities)
        {
            registry.AddActivity(activity.Name, activity.InputType, (_, input, cancellationToken) => activity.RunAsync(input, cancellationToken));
        }

        return registry;
    }
}
