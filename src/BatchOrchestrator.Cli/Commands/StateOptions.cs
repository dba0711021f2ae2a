namespace BatchOrchestrator.Cli.Commands;

/// <summary>Where the local-state commands look: <c>--project</c> (default: the current folder) and <c>--state</c> (default: its <c>.bo</c>).</summary>
public sealed record StateOptions(string? ProjectDirectory = null, string? StateDirectory = null)
{
    public StateLocation Resolve() => StateLocation.Resolve(ProjectDirectory, StateDirectory);
}
