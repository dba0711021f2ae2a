namespace BatchOrchestrator.Cli.Commands;

/// <summary>The arguments of <c>bo run</c>.</summary>
public sealed record RunOptions(string WorkflowFile)
{
    /// <summary><c>--session</c>: daily, hourly, now, YYYY-MM-DD or "YYYY-MM-DD HH:MM:SS"; Digdag's default when null.</summary>
    public string? Session { get; init; }

    /// <summary><c>-p key=value</c>, in order.</summary>
    public IReadOnlyList<string> Params { get; init; } = [];

    public string? ParamsFile { get; init; }

    /// <summary><c>--rerun</c>: run a session that already succeeded again, every task.</summary>
    public bool Rerun { get; init; }

    /// <summary><c>--state</c>: the state folder; <c>.bo</c> in the project folder when null.</summary>
    public string? StateDirectory { get; init; }

    /// <summary><c>--max-parallel</c>: the engine's activity workers — task activities at once (a command longer than one poll keeps running between polls); the default when null.</summary>
    public int? MaxParallel { get; init; }

    /// <summary><c>+task</c>: run only this task (and its children).</summary>
    public string? OnlyTask { get; init; }

    /// <summary><c>--start +task</c>: run from this task to the end, skipping the ones before it.</summary>
    public string? StartTask { get; init; }

    /// <summary><c>--goal +task</c>: run up to this task, skipping the ones after it.</summary>
    public string? GoalTask { get; init; }

    /// <summary><c>--dry-run</c>: check the workflow and say which session it would run; run nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary><c>-q/--quiet</c>: the tasks' output is not printed as it comes.</summary>
    public bool Quiet { get; init; }
}
