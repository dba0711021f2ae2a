using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Compilation;

namespace BatchOrchestrator.Engine.Workflows.Execution;

/// <summary>
/// Runs a group's children in Digdag's order — each when the siblings it waits for succeeded —
/// at most <c>_parallel: {limit: N}</c> at once; a group too large for one orchestration's history
/// goes to <see cref="ChunkedGroup"/>.
/// </summary>
/// <param name="runTask">Runs one child and everything under it.</param>
internal sealed class GroupWindow(WorkflowServices services, TaskRecorder recorder, ChunkedGroup chunks, Func<TaskFrame, PlannedTask, ParamScope, Task<TaskOutcome>> runTask)
{
    /// <summary>Runs a group task's children, with its <c>_parallel</c> (rendered when it is a template).</summary>
    public async Task<TaskOutcome> RunGroupAsync(TaskFrame frame, PlannedTask group, RenderedTask rendered, ParamScope scope)
    {
        var (parallel, limit) = ParallelOf(group, rendered);
        var children = frame.Plan.NormalChildren(group).ToList();
        return await RunChildrenAsync(frame, group.FullName, children, parallel, limit, scope);
    }

    /// <summary>
    /// Runs the children of a group: each starts when the siblings it waits for succeeded (order,
    /// <c>_background</c>, <c>_after</c>), at most <paramref name="limit"/> at once (a sliding
    /// window). After a failure nothing new starts; what runs finishes; the rest is canceled.
    /// Stores flow along the edges and join in submission order.
    /// </summary>
    public async Task<TaskOutcome> RunChildrenAsync(TaskFrame frame, string groupName, IReadOnlyList<PlannedTask> children, bool parallel, int? limit, ParamScope scope)
    {
        if (CanSplit(frame, groupName) && ChunkPlan.TryCreate(children, parallel, services.Options.MaxChildrenPerOrchestration, c => GeneratedWeight(frame, c), services.Options.MaxGeneratedCharsPerPart) is { } parts)
        {
            return await chunks.RunAsync(frame, groupName, parts, parallel, limit, scope);
        }

        var window = parallel && limit is { } l ? Math.Max(1, l) : int.MaxValue;

        // A part of a large group (a chunk) starts after the parts before it succeeded: only edges
        // inside it count. Each child's edges are worked out once, not on every pass: a pass comes
        // after every finished child, and a sequence of n children would otherwise cost O(n²).
        var members = children.Select(c => c.Index).ToHashSet();
        var upstreamsOf = new IReadOnlyList<int>[children.Count];
        for (var i = 0; i < children.Count; i++)
        {
            var edges = parallel ? children[i].AfterIndexes : children[i].UpstreamIndexes;
            upstreamsOf[i] = edges.All(members.Contains) ? edges : edges.Where(members.Contains).ToList();
        }

        var outcomes = new Dictionary<int, TaskOutcome>();
        var started = new bool[children.Count];
        var firstUnstarted = 0;
        var running = new List<(Task<TaskOutcome> Task, int Index)>();
        var errors = new List<TaskError>();
        var failed = false;
        Exception? fault = null;
        while (true)
        {
            if (!failed)
            {
                while (firstUnstarted < children.Count && started[firstUnstarted])
                {
                    firstUnstarted++;
                }

                for (var i = firstUnstarted; i < children.Count; i++)
                {
                    if (running.Count >= window)
                    {
                        break;
                    }

                    var upstreams = upstreamsOf[i];
                    if (started[i] || !AllSucceeded(upstreams, outcomes))
                    {
                        continue;
                    }

                    var child = children[i];
                    var store = upstreams.Count == 0
                        ? scope.Store
                        : StoreParams.Join(scope.Store, upstreams.Order().Select(u => outcomes[u].Store));
                    started[i] = true;
                    running.Add((runTask(frame, child, scope.WithStore(store)), child.Index));
                }
            }

            if (running.Count == 0)
            {
                break;
            }

            // Children that finished without waiting (echo>, skipped tasks) are taken at once; the
            // pending records are written separately only when the group really has to wait.
            var finished = running.FirstOrDefault(r => r.Task.IsCompleted);
            if (finished.Task is null)
            {
                recorder.Flush();
                var done = await Task.WhenAny(running.Select(r => r.Task));
                finished = running.First(r => r.Task == done);
            }

            running.Remove(finished);
            if (OrchestratorFaults.Of(finished.Task) is { } error)
            {
                // Raised once what runs beside it has ended: a chunk it started would outlive the attempt.
                fault ??= error;
                failed = true;
                continue;
            }

            var outcome = await finished.Task;
            outcomes[finished.Index] = outcome;
            if (!outcome.Succeeded)
            {
                failed = true;
                errors.AddRange(outcome.Errors);
            }
        }

        var joined = StoreParams.Join(scope.Store, outcomes.OrderBy(o => o.Key).Select(o => o.Value.Store));
        if (!failed)
        {
            return TaskOutcome.Success(joined);
        }

        for (var i = 0; i < children.Count; i++)
        {
            if (!started[i])
            {
                recorder.Set(children[i].FullName, TaskState.Canceled);
            }
        }

        if (fault is not null)
        {
            ExceptionDispatchInfo.Throw(fault);
        }

        return TaskOutcome.Failure(joined, errors);
    }

    private static bool AllSucceeded(IReadOnlyList<int> upstreams, Dictionary<int, TaskOutcome> outcomes)
    {
        for (var i = 0; i < upstreams.Count; i++)
        {
            if (!outcomes.TryGetValue(upstreams[i], out var outcome) || !outcome.Succeeded)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The group's <c>_parallel</c>: on or off, and its window (none: unlimited).</summary>
    /// <exception cref="TaskFailure">A templated <c>_parallel</c> that rendered to something else (not retryable).</exception>
    public static (bool Parallel, int? Limit) ParallelOf(PlannedTask task, RenderedTask rendered)
    {
        if (task.Parallel.Template is null)
        {
            return (task.Parallel.Enabled, task.Parallel.Limit);
        }

        return rendered.Option("_parallel") switch
        {
            JsonValue v when v.ToString() is "true" or "True" => (true, null),
            JsonValue v when v.ToString() is "false" or "False" => (false, null),
            JsonObject o when int.TryParse(o["limit"]?.ToString(), out var limit) && limit > 0 => (true, limit),
            var other => throw new TaskFailure($"_parallel: expected true, false or {{limit: N}}, got '{other?.ToString()}'", retryable: false),
        };
    }

    /// <summary>A group can be handed to sub-orchestrations when they can find its children again: in the workflow's plan, or as the top of generated config.</summary>
    /// <summary>What a child adds to a part's input: its generated definition (a workflow's own children travel as indexes).</summary>
    private static int GeneratedWeight(TaskFrame frame, PlannedTask child) =>
        frame.IsWorkflowPlan ? 0 : frame.Generated![child.LocalName]?.ToJsonString().Length ?? 0;

    private static bool CanSplit(TaskFrame frame, string groupName) =>
        frame.IsWorkflowPlan || (frame.Generated is not null && groupName == frame.Plan.Root.FullName);
}
