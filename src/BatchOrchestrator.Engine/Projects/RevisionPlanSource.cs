using System.Collections.Concurrent;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Projects;

namespace BatchOrchestrator.Engine.Projects;

/// <summary>
/// Compiled workflows of stored revisions, compiled once and cached (a revision never changes),
/// for what describes and checks workflows outside orchestrations (the HTTP API). It reads the
/// store, so orchestrator code never uses it: orchestrations get their workflow's files from the
/// <see cref="Workflows.Activities.ActivityNames.LoadWorkflow"/> activity.
/// </summary>
/// <param name="operators">The host's operators, which workflows are checked against.</param>
public sealed class RevisionPlanSource(IProjectRevisionStore revisions, IOperatorCatalog operators)
{
    private readonly ConcurrentDictionary<PlanReference, Lazy<LoadedWorkflow>> _cache = new();

    /// <summary>The workflow; throws a WorkflowLanguageException when it does not exist or is invalid.</summary>
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
        if (WorkflowSources.NotInProject(revision, reference.WorkflowName) is { } missing)
        {
            throw new WorkflowLanguageException(SourceLocation.None, missing);
        }

        // The files are in memory: the loader's tasks complete synchronously, so waiting here blocks nothing.
        var path = reference.WorkflowName + WorkflowLoader.Extension;
        var result = new WorkflowLoader(new RevisionWorkflowFiles(revision), operators).LoadAsync(path, CancellationToken.None).GetAwaiter().GetResult();
        var (definition, plan) = result.EnsureValid();
        var directory = Path.GetDirectoryName(path) ?? string.Empty;
        return new LoadedWorkflow(definition, plan, Path.Combine(revision.SourceDirectory, directory));
    }
}
