using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BatchOrchestrator.Engine.Projects;

namespace BatchOrchestrator.Server.Projects;

/// <summary>
/// The projects <c>bo server</c> serves: project folders (one given with <c>--project</c>, or
/// every folder with <c>.dig</c> files under <c>--projects-root</c>), each snapshotted as a new
/// revision when its workflow files change, and projects pushed over the API, unpacked under the
/// state folder. A project's current revision is the newest in its history (a push, or a change
/// of its folder seen after it). Histories are JSON lines under <c>state/projects/&lt;name&gt;/</c>.
/// </summary>
public sealed class LocalProjectCatalog : IProjectRepository
{
    private const string HistoryFile = "history.jsonl";
    private static readonly JsonTypeInfo<ProjectRevisionEntry> Json = ProjectHistoryJsonContext.Default.ProjectRevisionEntry;

    private readonly IReadOnlyDictionary<string, string> _fixedFolders;
    private readonly string? _projectsRoot;
    private readonly string _stateRoot;
    private readonly IProjectRevisionStore _revisions;
    private readonly TimeProvider _clock;

    // One writer at a time: histories are appended, and two requests seeing the same folder change must record it once.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, List<ProjectRevisionEntry>> _histories = new(StringComparer.Ordinal);

    /// <param name="projectDirectory">One project folder (<c>--project</c>), or null.</param>
    /// <param name="projectsRoot">A folder whose subfolders are projects (<c>--projects-root</c>), or null.</param>
    /// <param name="stateDirectory">The server's state folder: histories and pushed projects go to its <c>projects/</c>.</param>
    public LocalProjectCatalog(string? projectDirectory, string? projectsRoot, string stateDirectory, IProjectRevisionStore revisions, TimeProvider clock)
    {
        _fixedFolders = projectDirectory is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal) { [new DirectoryInfo(projectDirectory).Name] = Path.GetFullPath(projectDirectory) };
        _projectsRoot = projectsRoot is null ? null : Path.GetFullPath(projectsRoot);
        _stateRoot = Path.Combine(Path.GetFullPath(stateDirectory), "projects");
        _revisions = revisions;
        _clock = clock;
    }

    public async Task<IReadOnlyList<ProjectRevision>> GetCurrentRevisionsAsync(CancellationToken cancellationToken)
    {
        var names = new SortedSet<string>(FolderProjects().Keys, StringComparer.Ordinal);
        if (Directory.Exists(_stateRoot))
        {
            names.UnionWith(Directory.EnumerateDirectories(_stateRoot).Select(Path.GetFileName).OfType<string>().Where(ProjectNames.IsValid));
        }

        var result = new List<ProjectRevision>();
        foreach (var name in names)
        {
            if (await GetCurrentRevisionAsync(name, cancellationToken) is { } revision)
            {
                result.Add(revision);
            }
        }

        return result;
    }

    public async Task<ProjectRevision?> GetCurrentRevisionAsync(string project, CancellationToken cancellationToken)
    {
        if (!ProjectNames.IsValid(project))
        {
            return null;
        }

        // The folder is read outside the lock, so concurrent requests only queue for the (rare) history append.
        var snapshot = FolderProjects().TryGetValue(project, out var folder)
            ? await ProjectRevision.FromDirectoryAsync(project, folder, cancellationToken)
            : null;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var history = await HistoryAsync(project, cancellationToken);
            if (snapshot is not null && history.LastOrDefault(e => e.Source == "folder")?.Revision != snapshot.Id)
            {
                await _revisions.SaveAsync(snapshot, cancellationToken);
                history = await AppendAsync(project, history, new ProjectRevisionEntry(snapshot.Id, _clock.GetUtcNow(), "folder"), cancellationToken);
            }

            return history.Count == 0 || history[^1].IsDeletion ? null : _revisions.Load(history[^1].Revision);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<ProjectRevisionEntry>> GetRevisionsAsync(string project, CancellationToken cancellationToken)
    {
        // Reading the current revision first records a folder change not seen yet.
        if (await GetCurrentRevisionAsync(project, cancellationToken) is null)
        {
            return [];
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // A deleted project's past is not the new one's.
            return [.. ProjectRevisionEntry.Live(await HistoryAsync(project, cancellationToken)).Reverse()];
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<ProjectRevision> PushAsync(string project, ProjectFiles files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (ProjectNames.Problem(project) is { } problem)
        {
            throw new ArgumentException(problem, nameof(project));
        }

        // The revision covers every pushed file (scripts too), so its id says which scripts it runs.
        var folder = Path.Combine(_stateRoot, project, "revisions");
        var pushed = ProjectRevision.Create(project, folder, files);
        var revision = pushed.InFolder(Path.Combine(folder, pushed.Id));

        // Files are written outside the lock (into a folder named by their content), so a big push never holds up reads.
        await UnpackAsync(revision, cancellationToken);
        await _revisions.SaveAsync(revision, cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var history = await HistoryAsync(project, cancellationToken);
            await AppendAsync(project, history, new ProjectRevisionEntry(revision.Id, _clock.GetUtcNow(), "push"), cancellationToken);
            return _revisions.Load(revision.Id) ?? revision;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> DeleteAsync(string project, CancellationToken cancellationToken)
    {
        if (FolderProjects().ContainsKey(project))
        {
            throw new NotSupportedException($"project '{project}' is a folder this server was started with; remove the folder (or its .dig files) instead");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var history = ProjectNames.IsValid(project) ? await HistoryAsync(project, cancellationToken) : [];
            if (history.Count == 0 || history[^1].IsDeletion)
            {
                return false;
            }

            // Revisions stay on disk: past sessions still show their workflows and files.
            await AppendAsync(project, history, new ProjectRevisionEntry(history[^1].Revision, _clock.GetUtcNow(), ProjectRevisionEntry.DeletedSource), cancellationToken);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The folder projects by name: the <c>--project</c> folder, and the <c>--projects-root</c> subfolders holding <c>.dig</c> files.</summary>
    private Dictionary<string, string> FolderProjects()
    {
        var result = new Dictionary<string, string>(_fixedFolders, StringComparer.Ordinal);
        if (_projectsRoot is not null && Directory.Exists(_projectsRoot))
        {
            foreach (var folder in Directory.EnumerateDirectories(_projectsRoot))
            {
                var name = Path.GetFileName(folder);
                if (ProjectNames.IsValid(name) && Directory.EnumerateFiles(folder, "*.dig").Any())
                {
                    result.TryAdd(name, folder);
                }
            }
        }

        return result;
    }

    /// <summary>Writes the revision's files into its own folder (scripts run there), through a temporary folder and a rename.</summary>
    private static async Task UnpackAsync(ProjectRevision revision, CancellationToken cancellationToken)
    {
        if (Directory.Exists(revision.SourceDirectory))
        {
            return;
        }

        var temporary = revision.SourceDirectory + $".{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(temporary);
        try
        {
            await revision.AsFiles().WriteToAsync(temporary, cancellationToken);
            Directory.Move(temporary, revision.SourceDirectory);
        }
        catch (IOException) when (Directory.Exists(revision.SourceDirectory))
        {
            // The same push, unpacked by another request first: same id, same files.
            Directory.Delete(temporary, recursive: true);
        }
        catch
        {
            Directory.Delete(temporary, recursive: true);
            throw;
        }
    }

    /// <summary>A project's history, read from its file once and then kept (this catalog is its only writer); call under the gate.</summary>
    private async Task<List<ProjectRevisionEntry>> HistoryAsync(string project, CancellationToken cancellationToken)
    {
        if (!_histories.TryGetValue(project, out var history))
        {
            history = await ReadHistoryAsync(project, cancellationToken);
            _histories[project] = history;
        }

        return history;
    }

    private async Task<List<ProjectRevisionEntry>> ReadHistoryAsync(string project, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_stateRoot, project, HistoryFile);
        if (!File.Exists(path))
        {
            return [];
        }

        var lines = await File.ReadAllLinesAsync(path, cancellationToken);
        return [.. lines.Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize(l, Json)!)];
    }

    private async Task<List<ProjectRevisionEntry>> AppendAsync(string project, List<ProjectRevisionEntry> history, ProjectRevisionEntry entry, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_stateRoot, project);
        Directory.CreateDirectory(folder);
        await File.AppendAllTextAsync(Path.Combine(folder, HistoryFile), JsonSerializer.Serialize(entry, Json) + "\n", cancellationToken);
        List<ProjectRevisionEntry> longer = [.. history, entry];
        _histories[project] = longer;
        return longer;
    }
}

/// <summary>A project's history lines (web defaults), described at compile time for Native AOT.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProjectRevisionEntry))]
internal sealed partial class ProjectHistoryJsonContext : JsonSerializerContext;
