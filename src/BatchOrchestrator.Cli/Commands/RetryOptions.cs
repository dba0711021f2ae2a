using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>The arguments of <c>bo retry</c>.</summary>
/// <param name="Attempt">The attempt to retry: its id, a unique part of it, or its index in the newest session.</param>
/// <param name="Mode"><c>--failed</c> (<see cref="ResumeMode.Failed"/>), <c>--all</c> (<see cref="ResumeMode.None"/>) or <c>--from</c> (<see cref="ResumeMode.From"/>).</param>
public sealed record RetryOptions(string Attempt, ResumeMode Mode)
{
    /// <summary>With <see cref="ResumeMode.From"/>: the task to run again from (<c>+task</c> or its full name).</summary>
    public string? FromTask { get; init; }

    /// <summary><c>-p key=value</c>, merged over the original attempt's params.</summary>
    public IReadOnlyList<string> Params { get; init; } = [];

    public string? ParamsFile { get; init; }

    public string? ProjectDirectory { get; init; }

    public string? StateDirectory { get; init; }

    /// <summary><c>-q/--quiet</c>: the tasks' output is not printed as it comes.</summary>
    public bool Quiet { get; init; }
}
