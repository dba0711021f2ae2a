namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// Where the state commands look: <c>--project</c> (default: the current folder) and <c>--state</c>
/// (default: its <c>.bo</c>), or a server (<c>-e/--endpoint</c>, with <c>--token</c> or <c>BO_API_TOKEN</c>).
/// </summary>
public sealed record StateOptions(string? ProjectDirectory = null, string? StateDirectory = null)
{
    public string? Endpoint { get; init; }

    public string? Token { get; init; }

    public StateLocation Resolve() => StateLocation.Resolve(ProjectDirectory, StateDirectory);
}
