using System.Text.Json;
using BatchOrchestrator.Engine.Workflows.Params;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// Input of a chunk sub-orchestration: some children of one large group. The children are named
/// by index in the workflow's plan (read again from the revision), or given as the generated
/// config they come from — never as a whole plan, so inputs stay small.
/// </summary>
public sealed record ChunkInput
{
    public required AttemptInput Attempt { get; init; }

    /// <summary>The full name of the group whose children these are.</summary>
    public required string GroupName { get; init; }

    public IReadOnlyList<int>? PlanChildIndexes { get; init; }

    /// <summary>Generated children: a JSON object of <c>+name: config</c> entries.</summary>
    public JsonElement? GeneratedChildren { get; init; }

    public required string WorkingDirectory { get; init; }

    public bool Parallel { get; init; }

    public int? Limit { get; init; }

    public required ParamScope Scope { get; init; }
}
