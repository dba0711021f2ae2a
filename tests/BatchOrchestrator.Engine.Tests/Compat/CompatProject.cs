using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Engine.Tests.Compat;

/// <summary>
/// One corpus file copied, with the other files of its folder, into a fresh
/// <see cref="WorkflowProject"/>, run the way Digdag's acceptance test runs it: its params given as
/// session params (Digdag's <c>-p k=v</c>, always strings), <c>outdir</c> the project folder.
/// </summary>
internal sealed class CompatProject(WorkflowProject project, string file)
{
    public WorkflowProject Project { get; } = project;

    /// <summary>The corpus path, relative to <c>shared/compat/digdag</c>.</summary>
    public string File { get; } = file;

    /// <summary>The workflow's name: the file's name without <c>.dig</c>.</summary>
    public string Workflow => Path.GetFileNameWithoutExtension(File);

    /// <summary>The session params of <paramref name="pairs"/> (<c>"k=v"</c>); <c>outdir</c> is always the project folder.</summary>
    public Dictionary<string, string> Params(params string[] pairs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal) { ["outdir"] = Project.Directory_ };
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            result[pair[..equals]] = pair[(equals + 1)..];
        }

        return result;
    }

    public Task<RunResult> RunAsync(params string[] pairs) => Project.RunAsync(Workflow, Params(pairs));

    public Task<RunResult> RetryAsync(string workflow, string retryName, ResumeMode resume, RunResult? of = null, string? fromTask = null, params string[] pairs) =>
        Project.RunAsync(workflow, Params(pairs), retryName, resume, of?.AttemptId, fromTask);

    /// <summary>Writes a corpus file's text (optionally edited, as Digdag's test edits it) into the project under <paramref name="asName"/>.</summary>
    public void Install(string corpusFile, string asName, Func<string, string>? edit = null)
    {
        var text = System.IO.File.ReadAllText(Path.Combine(CorpusFiles.Root, corpusFile));
        Project.Write(asName, edit is null ? text : edit(text));
    }

    public bool Exists(string relativePath) => Project.Exists(relativePath);

    public string Read(string relativePath) => Project.Read(relativePath);

    /// <summary>Every task log of the attempt, concatenated: what Digdag's <c>getAttemptLogs</c> checks.</summary>
    public string Logs()
    {
        var folder = Path.Combine(Project.Directory_, ".bo", "logs");
        return Directory.Exists(folder)
            ? string.Concat(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(System.IO.File.ReadAllText))
            : string.Empty;
    }
}
