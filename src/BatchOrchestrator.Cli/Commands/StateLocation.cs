using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// Which project a command is about and where its local state is: the project folder (default:
/// the current folder) and its state folder (default: <c>.bo</c> inside it).
/// </summary>
public sealed record StateLocation(string ProjectDirectory, string StateDirectory)
{
    public const string DefaultStateFolder = ".bo";

    public static StateLocation Resolve(string? projectDirectory, string? stateDirectory)
    {
        var project = Path.GetFullPath(string.IsNullOrEmpty(projectDirectory) ? "." : projectDirectory);
        if (!Directory.Exists(project))
        {
            throw new UserError($"{projectDirectory}: no such project folder", 2);
        }

        var state = string.IsNullOrEmpty(stateDirectory) ? Path.Combine(project, DefaultStateFolder) : Path.GetFullPath(stateDirectory);
        return new StateLocation(project, state);
    }

    /// <summary>The message for a state folder where nothing has run yet.</summary>
    public string NothingRanMessage => $"no local state in {StateDirectory} (nothing has run here yet; start with `bo run <workflow>.dig`, or pass --state)";

    /// <summary>The records and logs of the state folder, for reading; a <see cref="UserError"/> when nothing ran here or its runs.db cannot be used.</summary>
    public async Task<LocalState> OpenStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await LocalState.OpenAsync(StateDirectory, cancellationToken) ?? throw new UserError(NothingRanMessage);
        }
        catch (Exception e) when (StateFolderErrors.For(StateDirectory, e) is { } line)
        {
            throw new UserError(line);
        }
    }
}
