using System.CommandLine;
using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Tests.Support;

/// <summary>
/// A project folder in a temp directory, and <c>bo</c> run in-process on it through the real
/// command line (argument parsing included), with its output captured.
/// </summary>
internal sealed class CliProject : IDisposable
{
    /// <summary>Generous: a guard against hanging, never a synchronisation.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateTempSubdirectory("bo-cli-").FullName;

    public CliProject()
    {
        Directory.CreateDirectory(Folder);
    }

    /// <summary>
    /// The project name (the folder's name), unique per test: the local executor keys its
    /// per-try folders on attempt ids, which are shared by equally named projects (see the report).
    /// </summary>
    public string Name { get; } = "p" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The project folder.</summary>
    public string Folder => Path.Combine(_root, Name);

    public string StateFolder => Path.Combine(Folder, ".bo");

    /// <summary>The paths of a task's try logs under the state folder (<c>task.tryN.log</c>), ordered by file name.</summary>
    public List<string> TryLogs(string taskName) =>
        [.. Directory.EnumerateFiles(StateFolder, taskName + ".try*.log", SearchOption.AllDirectories).OrderBy(Path.GetFileName, StringComparer.Ordinal)];

    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Copies a folder's files into the project, but not its state folder nor the subfolder <paramref name="except"/>.</summary>
    public void CopyFrom(string source, string except)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is var top && (top == ".bo" || top == "__pycache__" || top == except))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Folder, relative))!);
            File.Copy(file, Path.Combine(Folder, relative));
        }
    }

    /// <summary>
    /// The project, its state folder and every file in them readable and writable by every user (and the
    /// temp folder above it enterable), so that a child <c>bo</c> run as <c>nobody</c> is stopped only by a
    /// permission a test takes away afterwards.
    /// </summary>
    public void OpenToAllUsers()
    {
        const UnixFileMode all = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        const UnixFileMode enter = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | enter);
        File.SetUnixFileMode(Folder, all | enter);
        foreach (var folder in Directory.EnumerateDirectories(Folder, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(folder, all | enter);
        }

        foreach (var file in Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, all);
        }
    }

    public string Read(string relativePath) => File.ReadAllText(Path.Combine(Folder, relativePath));

    public bool Exists(string relativePath) => File.Exists(Path.Combine(Folder, relativePath));

    public string[] Lines(string relativePath) =>
        Exists(relativePath) ? File.ReadAllLines(Path.Combine(Folder, relativePath)) : [];

    /// <summary>Runs <c>bo run &lt;file&gt; args...</c> on a workflow file of the project.</summary>
    public Task<BoResult> RunAsync(string workflowFile, params string[] args) =>
        BoAsync(["run", Path.Combine(Folder, workflowFile), .. args]);

    /// <summary>Runs a local-state command (<c>sessions</c>, <c>tasks</c>, ...) on the project.</summary>
    public Task<BoResult> StateAsync(params string[] args) => BoAsync([.. args, "--project", Folder]);

    /// <param name="typed">What a person types at a terminal (<c>bo delete</c>'s confirmation); null for input that is not a terminal.</param>
    public async Task<BoResult> BoAsync(string[] args, CancellationToken cancellationToken = default, string? typed = null)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(Guard);
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error)
        {
            PollInterval = TimeSpan.FromMilliseconds(50),
            ActivityWorkers = 4,
            Input = typed is null ? TextReader.Null : new StringReader(typed),
            InputIsTerminal = typed is not null,
        };
        var exit = await BoCommandLine.Create(context).Parse(args).InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null },
            guard.Token);
        return new BoResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Polls the run store until a task of the project's latest attempt reaches a state (polling a store is how a user would look too).</summary>
    public async Task<TaskRecord> WaitForTaskAsync(string taskName, TaskState state)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (true)
        {
            await using (var local = await LocalState.OpenAsync(StateFolder, guard.Token))
            {
                if (local is not null)
                {
                    var sessions = await SessionListing.ReadAsync(local.Runs, guard.Token);
                    if (sessions.FirstOrDefault()?.Latest is { } attempt
                        && (await local.Runs.GetTasksAsync(attempt.AttemptId, guard.Token)).FirstOrDefault(t => t.TaskName == taskName && t.State == state) is { } found)
                    {
                        return found;
                    }
                }
            }

            await Task.Delay(50, guard.Token);
        }
    }

    /// <summary>The project's attempts, newest session first, oldest attempt first.</summary>
    public async Task<IReadOnlyList<AttemptRecord>> AttemptsAsync()
    {
        await using var local = await LocalState.OpenAsync(StateFolder, CancellationToken.None)
            ?? throw new AssertFailedException("no state folder");
        return (await SessionListing.ReadAsync(local.Runs, CancellationToken.None)).SelectMany(s => s.Attempts).ToList();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
