namespace BatchOrchestrator.Cli.Tests.Support;

/// <summary>What one in-process <c>bo</c> invocation printed and returned.</summary>
internal sealed record BoResult(int Exit, string Output, string Error)
{
    public string All => Output + Error;

    /// <summary>Standard output line by line, without line ends.</summary>
    public List<string> OutputLines => [.. Output.Split('\n').Select(l => l.TrimEnd('\r'))];

    public override string ToString() => $"exit {Exit}{Environment.NewLine}--- stdout ---{Environment.NewLine}{Output}--- stderr ---{Environment.NewLine}{Error}";
}
