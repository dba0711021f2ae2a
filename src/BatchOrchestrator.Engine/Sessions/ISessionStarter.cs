using System.Text.Json;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>When <c>require&gt;</c> starts a new attempt of a session that already ran.</summary>
public enum RerunOn
{
    /// <summary>Never: an existing attempt, finished or not, is what require&gt; waits for.</summary>
    None,

    /// <summary>When the latest attempt failed.</summary>
    Failed,

    /// <summary>Whenever the latest attempt has finished.</summary>
    All,
}

/// <summary>What <c>require&gt;</c> asks for: a session of a workflow, started if needed.</summary>
/// <param name="Revision">The revision of the requiring attempt (its project folder and files).</param>
/// <param name="OtherProject">Another project the workflow is in (<c>project_name</c>/<c>project_id</c>); null for the requiring attempt's own.</param>
public sealed record SessionStartRequest(string Revision, string ProjectName, string WorkflowName, DateTimeOffset SessionTime, JsonElement Params, RerunOn RerunOn, OtherProject? OtherProject = null);

/// <summary>Another project named by <c>require&gt;</c>: by its name or by its <c>project_id</c>.</summary>
public sealed record OtherProject(string? Name, long? Id)
{
    /// <summary>How the workflow named it, for messages.</summary>
    public override string ToString() => Name is not null ? $"project_name '{Name}'" : $"project_id {Id}";
}

/// <summary>
/// Starts sessions on behalf of a running workflow (<c>require&gt;</c>). Idempotent: asking twice for
/// the same session returns the same attempt, so a re-delivered activity starts nothing twice.
/// </summary>
public interface ISessionStarter
{
    /// <summary>The attempt to wait for: the session's latest one, or one started now.</summary>
    Task<string> StartOrFindAsync(SessionStartRequest request, CancellationToken cancellationToken);
}
