using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Engine.Operators.Builtin.Http;
using BatchOrchestrator.Engine.Operators.Builtin.Params;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// The interpreter as every host wires it: the orchestrator over stored revisions with the script
/// operators, the work operators, and the activities over the host's stores and executors. A host
/// registers <see cref="Orchestrator"/> and <see cref="Activities"/> under <see cref="ActivityNames"/>
/// and binds <see cref="Sessions"/> to its launcher once it runs.
/// </summary>
public sealed record WorkflowParts(WorkflowOrchestrator Orchestrator, WorkflowActivities Activities, SessionStarter Sessions)
{
    /// <param name="maskedLogs">The log store wrapped in the masking store that executors also write through.</param>
    /// <param name="http">The one client every http&gt; task shares.</param>
    public static WorkflowParts Create(
        IProjectRevisionStore revisions,
        MaskingLogStore maskedLogs,
        IRunStore runs,
        IParamStore parameters,
        ISecretStore secrets,
        IReadOnlyList<ICommandExecutor> executors,
        HttpClient http,
        WorkflowEngineOptions? options = null)
    {
        var services = new WorkflowServices(new RevisionPlanSource(revisions), [new ShOperator(), new PyOperator()], options);
        var operators = new OperatorRegistry()
            .Add(new HttpOperator(http, maskedLogs))
            .Add(new ParamSetOperator(parameters))
            .Add(new ParamGetOperator(parameters));
        var sessions = new SessionStarter();
        var activities = new WorkflowActivities(operators, executors, maskedLogs, runs, sessions, new TaskSecrets(secrets, maskedLogs));
        return new WorkflowParts(new WorkflowOrchestrator(services), activities, sessions);
    }
}
