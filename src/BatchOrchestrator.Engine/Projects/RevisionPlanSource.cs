using System.Collections.Concurrent;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Projects;

namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// Compiled workflows of stored revisions, compiled once and cached: a revision never changes,
/// so the cache never goes stale and every replay sees the same plan.
/// </summary>
public sealed class RevisionPlanSource(IProjectRevisionStore revisions) : IWorkflowPlanSource
{
    private readonly ConcurrentDictionary<PlanReference, Lazy<LoadedWorkflow>> _cache = new();

    public LoadedWorkflow Get(PlanReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var entry = _cache.GetOrAdd(reference, r => new Lazy<LoadedWorkflow>(() => Load(r)));
        try
        {
            return entry.Value;
        }
        catch (WorkflowLanguageException)
        {
            // A failed load is not cached: the revision may have been missing only for a moment.
            _cache.TryRemove(reference, out _);
            throw;
        }
    }

    private LoadedWorkflow Load(PlanReference reference)
    {
        var revision = revisions.Load(reference.Revision)
            ?? throw new WorkflowLanguageException(SourceLocation.None, $"project revision {reference.Revision} is not stored");
        var path = reference.WorkflowName + WorkflowLoader.Extension;
        if (!revision.Files.ContainsKey(path))
        {
            var known = revision.Files.Keys.Where(k => k.EndsWith(WorkflowLoader.Extension, StringComparison.Ordinal)).Select(k => k[..^4]);
            throw new WorkflowLanguageException(SourceLocation.None, $"workflow '{reference.WorkflowName}' is not in project {revision.Project}{Suggestions.DidYouMean(reference.WorkflowName, known)}");
        }

        // The files are in memory: the loader's tasks complete synchronously, so waiting here blocks nothing.
        var result = new WorkflowLoader(new RevisionWorkflowFiles(revision)).LoadAsync(path, CancellationToken.None).GetAwaiter().GetResult();
        var (definition, plan) = result.EnsureValid();
        var directory = Path.GetDirectoryName(path) ?? string.Empty;
        return new LoadedWorkflow(definition, plan, Path.Combine(revision.SourceDirectory, directory));
    }
}
