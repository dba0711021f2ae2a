using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Engine.Workflows.Params;

namespace BatchOrchestrator.Engine.Workflows.Execution;

/// <summary>
/// <c>require&gt;</c>: starts (or finds) a session of another workflow and waits for its attempt to
/// finish, reading its status every <see cref="WorkflowEngineOptions.RequirePollInterval"/> with a
/// durable timer between reads.
/// </summary>
internal sealed class RequireWaiter(IOrchestrationContext context, AttemptInput input, WorkflowServices services, TaskActivityCaller activities)
{
    /// <summary>
    /// Waits for the required session at this session's time (or <c>session_time</c>); its failure
    /// fails the task unless <c>ignore_failure: true</c>. A wrong option fails it without a retry.
    /// </summary>
    public async Task<TaskOutcome> RunAsync(RenderedTask rendered, ParamScope scope)
    {
        var workflow = CommandText.Of(rendered.Command);
        var otherProject = OtherProjectOf(rendered);

        var sessionTime = input.SessionTime;
        if (rendered.Option("session_time")?.ToString() is { } text && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out sessionTime))
        {
            throw new TaskFailure($"require>: session_time '{text}' is not a time such as 2026-11-21T00:00:00+09:00", retryable: false);
        }

        var rerunOn = rendered.Option("rerun_on")?.ToString() switch
        {
            null or "none" => Sessions.RerunOn.None,
            "failed" => Sessions.RerunOn.Failed,
            "all" => Sessions.RerunOn.All,
            var other => throw new TaskFailure($"require>: rerun_on must be none, failed or all, got '{other}'", retryable: false),
        };
        var ignoreFailure = rendered.Option("ignore_failure")?.ToString() is "true" or "True";
        var parameters = rendered.Option("params") is JsonObject given ? JsonSerializer.SerializeToElement(given, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.JsonObject) : Language.Parameters.ParamSet.Empty.ToJson();
        var request = new Sessions.SessionStartRequest(input.Plan.Revision, input.ProjectName, workflow, sessionTime, parameters, rerunOn, otherProject);
        var attemptId = await activities.CallAsync<string>(ActivityNames.RequireSession, new RequireSessionInput(request));
        while (true)
        {
            var status = await activities.CallAsync<AttemptStatus>(ActivityNames.GetAttemptStatus, new AttemptStatusInput(attemptId));
            if (status == AttemptStatus.Success || (status != AttemptStatus.Running && ignoreFailure))
            {
                return TaskOutcome.Success(scope.Store);
            }

            if (status != AttemptStatus.Running)
            {
                throw new TaskFailure($"require>: the required session of {workflow} at {sessionTime:yyyy-MM-dd'T'HH:mm:sszzz} ended as {status.ToString().ToLowerInvariant()} (attempt {attemptId})");
            }

            await context.CreateTimer(context.CurrentUtcDateTime + services.Options.RequirePollInterval, CancellationToken.None);
        }
    }

    /// <summary>
    /// The other project <c>project_name</c> or <c>project_id</c> names (null when they name none, or
    /// this one): its workflow runs as a session of that project, on a host that serves several.
    /// Naming both is refused, as Digdag does.
    /// </summary>
    private Sessions.OtherProject? OtherProjectOf(RenderedTask rendered)
    {
        var name = rendered.Option("project_name")?.ToString();
        var idText = rendered.Option("project_id")?.ToString();
        if (name is not null && idText is not null)
        {
            throw new TaskFailure("require>: give project_id or project_name, not both", retryable: false);
        }

        if (idText is null)
        {
            return name is null || name == input.ProjectName ? null : new Sessions.OtherProject(name, null);
        }

        return long.TryParse(idText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            ? id == input.ProjectId ? null : new Sessions.OtherProject(null, id)
            : throw new TaskFailure($"require>: project_id must be a whole number, got '{idText}'", retryable: false);
    }
}
