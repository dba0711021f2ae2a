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

    /// <summary>The parent's logical clock when it started this chunk: the chunk's param contributions come after it.</summary>
    public long Clock { get; init; }

    /// <summary>
    /// The chunk's path (<c>3.12</c>: the parent's path and the ordinal of the call that started
    /// it), which keeps its param sequences apart from those of chunks run side by side.
    /// </summary>
    public string? Lane { get; init; }

    /// <summary>The span of the group's try that started this chunk (the chunk's span's parent); null when not traced.</summary>
    public string? ParentSpanId { get; init; }
}
