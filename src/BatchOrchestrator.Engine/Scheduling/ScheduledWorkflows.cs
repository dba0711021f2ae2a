using System.Collections.Concurrent;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Projects;

namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>
/// The scheduled workflows of every project's current revision (<see cref="IProjectCatalog"/>).
/// A revision never changes, so its workflows are read once and kept while it is current.
/// Workflows are a revision's top-level <c>.dig</c> files; an invalid one has no schedule to keep.
/// </summary>
/// <param name="operators">The host's operators: a workflow using one the host lacks is invalid, so unscheduled.</param>
public sealed class ScheduledWorkflows(IProjectCatalog catalog, IOperatorCatalog operators)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<ScheduledWorkflow>>>> _byRevision = new(StringComparer.Ordinal);

    /// <summary>Every scheduled workflow of every project, by project and workflow name.</summary>
    public async Task<IReadOnlyList<ScheduledWorkflow>> ListAsync(CancellationToken cancellationToken)
    {
        var revisions = await catalog.GetCurrentRevisionsAsync(cancellationToken);
        var result = new List<ScheduledWorkflow>();
        foreach (var revision in revisions.OrderBy(r => r.Project, StringComparer.Ordinal))
        {
            result.AddRange(await OfRevisionAsync(revision, cancellationToken));
        }

        // Revisions that are no longer current are not read again.
        var current = revisions.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in _byRevision.Keys.Where(id => !current.Contains(id)))
        {
            _byRevision.TryRemove(stale, out _);
        }

        return result;
    }

    /// <summary>One workflow's schedule, or why there is none (no such project, no such workflow, no <c>schedule:</c>).</summary>
    public async Task<ScheduleLookup> FindAsync(string project, string workflow, CancellationToken cancellationToken)
    {
        if (await catalog.GetCurrentRevisionAsync(project, cancellationToken) is not { } revision)
        {
            var known = (await catalog.GetCurrentRevisionsAsync(cancellationToken)).Select(r => r.Project);
            return ScheduleLookup.Missing($"no project '{project}'{Suggestions.DidYouMean(project, known)}");
        }

        var scheduled = await OfRevisionAsync(revision, cancellationToken);
        if (scheduled.FirstOrDefault(s => s.Workflow == workflow) is { } found)
        {
            return new ScheduleLookup(found, null);
        }

        var workflows = WorkflowPaths(revision).Select(p => p[..^WorkflowLoader.Extension.Length]).ToList();
        return workflows.Contains(workflow, StringComparer.Ordinal)
            ? ScheduleLookup.Missing($"workflow '{workflow}' of project '{project}' has no schedule (or is not valid: see `bo check`)")
            : ScheduleLookup.Missing($"no workflow '{workflow}' in project '{project}'{Suggestions.DidYouMean(workflow, workflows)}");
    }

    /// <summary>The scheduled workflows of one revision, in name order.</summary>
    public Task<IReadOnlyList<ScheduledWorkflow>> OfRevisionAsync(ProjectRevision revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        var entry = _byRevision.GetOrAdd(revision.Id, _ => new Lazy<Task<IReadOnlyList<ScheduledWorkflow>>>(() => LoadAsync(revision)));
        if (entry.Value.IsFaulted)
        {
            // A failed read is not kept: the next caller reads the revision again.
            _byRevision.TryRemove(new KeyValuePair<string, Lazy<Task<IReadOnlyList<ScheduledWorkflow>>>>(revision.Id, entry));
        }

        return entry.Value.WaitAsync(cancellationToken);
    }

    private static IEnumerable<string> WorkflowPaths(ProjectRevision revision) =>
        revision.Files.Keys
            .Where(p => !p.Contains('/', StringComparison.Ordinal) && p.EndsWith(WorkflowLoader.Extension, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    // Not canceled by one caller: the result is shared by every caller of the revision.
    private async Task<IReadOnlyList<ScheduledWorkflow>> LoadAsync(ProjectRevision revision)
    {
        var loader = new WorkflowLoader(new RevisionWorkflowFiles(revision), operators);
        var result = new List<ScheduledWorkflow>();
        foreach (var path in WorkflowPaths(revision))
        {
            var loaded = await loader.LoadAsync(path, CancellationToken.None);
            if (loaded.IsValid && loaded.Definition!.ZonedSchedule is { } schedule)
            {
                result.Add(new ScheduledWorkflow(revision, loaded.Definition.Name, schedule));
            }
        }

        return result;
    }
}

/// <summary>A scheduled workflow found, or the reason there is none (<see cref="Problem"/>).</summary>
public sealed record ScheduleLookup(ScheduledWorkflow? Workflow, string? Problem)
{
    public static ScheduleLookup Missing(string problem) => new(null, problem);
}
