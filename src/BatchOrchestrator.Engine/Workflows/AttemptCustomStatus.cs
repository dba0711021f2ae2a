namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// What an attempt's orchestrations show as their custom status, so an instance list (Durable
/// Functions Monitor, the runtime's client) says which session and attempt an instance runs
/// without opening its input. Chunks of a large group also name the group.
/// </summary>
/// <param name="Project">The project.</param>
/// <param name="Workflow">The workflow.</param>
/// <param name="SessionTime">The session's time.</param>
/// <param name="AttemptId">The attempt (the instance id of its main orchestration).</param>
/// <param name="Group">For a chunk: the group whose children it runs.</param>
public sealed record AttemptCustomStatus(string Project, string Workflow, DateTimeOffset SessionTime, string AttemptId, string? Group = null)
{
    public static AttemptCustomStatus Of(AttemptInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new(input.ProjectName, input.Plan.WorkflowName, input.SessionTime, input.AttemptId);
    }

    public static AttemptCustomStatus Of(ChunkInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Of(input.Attempt) with { Group = input.GroupName };
    }
}
