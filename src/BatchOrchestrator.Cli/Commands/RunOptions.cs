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
}
