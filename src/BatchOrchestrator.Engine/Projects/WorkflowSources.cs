using System.Text;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Projects;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// One workflow of a stored revision as the <see cref="WorkflowSource"/> the orchestrator compiles
/// (the <see cref="ActivityNames.LoadWorkflow"/> activity). The workflow is loaded here once, through
/// a view of the revision that notes what loading it reads, so exactly those files are shipped and
/// the orchestrator's compile of them reads nothing else.
/// </summary>
public static class WorkflowSources
{
    /// <summary>The workflow, or its errors when it cannot run; a store that cannot be reached throws.</summary>
    /// <param name="operators">The host's operators, which the workflow is checked against.</param>
    /// <param name="compiler">The compiler of this process's orchestrations, handed the plan checking made (see <see cref="WorkflowCompiler.Remember"/>).</param>
    public static async Task<WorkflowSource> LoadAsync(IProjectRevisionStore revisions, IOperatorCatalog operators, PlanReference reference, CancellationToken cancellationToken, WorkflowCompiler? compiler = null)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentNullException.ThrowIfNull(reference);
        var revision = await revisions.LoadAsync(reference.Revision, cancellationToken);
        return revision is null
            ? Failed(reference.WorkflowName + WorkflowLoader.Extension, $"project revision {reference.Revision} is not stored")
            : await FromRevisionAsync(revision, operators, reference.WorkflowName, cancellationToken, compiler);
    }

    public static async Task<WorkflowSource> FromRevisionAsync(ProjectRevision revision, IOperatorCatalog operators, string workflowName, CancellationToken cancellationToken, WorkflowCompiler? compiler = null)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var path = workflowName + WorkflowLoader.Extension;
        if (NotInProject(revision, workflowName) is { } missing)
        {
            return Failed(path, missing);
        }

        var files = new RecordingWorkflowFiles(new RevisionWorkflowFiles(revision));
        var result = await new WorkflowLoader(files, operators).LoadAsync(path, cancellationToken);
        if (!result.IsValid)
        {
            var errors = result.Errors.ToList();
            return errors.Count > 0 ? new WorkflowSource { Path = path, Errors = errors } : Failed(path, $"{path} could not be compiled");
        }

        var source = new WorkflowSource
        {
            Path = path,
            Files = [.. files.Read.Select(p => new WorkflowFile(p, Text(revision.Files[p])))],
            CallTargets = [.. files.Found.Where(p => !files.Read.Contains(p, StringComparer.Ordinal))],
            WorkingDirectory = Path.Combine(revision.SourceDirectory, Path.GetDirectoryName(path) ?? string.Empty),
        };
        compiler?.Remember(source, result, operators);
        return source;
    }

    /// <summary>Why the revision has no such workflow (with the closest name it has), or null when it has it.</summary>
    public static string? NotInProject(ProjectRevision revision, string workflowName)
    {
        ArgumentNullException.ThrowIfNull(revision);
        if (revision.Files.ContainsKey(workflowName + WorkflowLoader.Extension))
        {
            return null;
        }

        var known = revision.Files.Keys.Where(k => k.EndsWith(WorkflowLoader.Extension, StringComparison.Ordinal)).Select(k => k[..^WorkflowLoader.Extension.Length]);
        return $"workflow '{workflowName}' is not in project {revision.Project}{Suggestions.DidYouMean(workflowName, known)}";
    }

    private static WorkflowSource Failed(string path, string message) =>
        new() { Path = path, Errors = [new Diagnostic(SourceLocation.None, message)] };

    // The reader decodes the same way (a byte order mark dropped, strict UTF-8); the load succeeded, so it decodes.
    private static string Text(byte[] content)
    {
        var offset = content.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content, offset, content.Length - offset);
    }

    /// <summary>A revision's files as the loader sees them, noting which it read and which it found (by revision path).</summary>
    private sealed class RecordingWorkflowFiles(IWorkflowFiles inner) : IWorkflowFiles
    {
        public List<string> Read { get; } = [];

        public List<string> Found { get; } = [];

        public async Task<long?> GetSizeAsync(string path, CancellationToken cancellationToken)
        {
            var size = await inner.GetSizeAsync(path, cancellationToken);
            if (size is not null)
            {
                Note(Found, path);
            }

            return size;
        }

        public async Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken)
        {
            var content = await inner.ReadAllBytesAsync(path, cancellationToken);
            Note(Read, path);
            return content;
        }

        public string ResolveRelative(string fromFile, string relativePath) => inner.ResolveRelative(fromFile, relativePath);

        private static void Note(List<string> paths, string path)
        {
            var normalized = RevisionPaths.Normalize(path);
            if (!paths.Contains(normalized, StringComparer.Ordinal))
            {
                paths.Add(normalized);
            }
        }
    }
}
