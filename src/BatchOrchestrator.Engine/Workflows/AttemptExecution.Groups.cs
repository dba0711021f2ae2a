using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Compilation;

namespace BatchOrchestrator.Engine.Workflows;

internal sealed partial class AttemptExecution
{
    /// <summary>Sub-orchestration calls made so far: the ordinal in the next chunk's instance id.</summary>
    private int _subOrchestrations;

    private async Task<TaskOutcome> RunGroupAsync(TaskFrame frame, PlannedTask group, RenderedTask rendered, ParamScope scope)
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
    internal async Task<TaskOutcome> RunChildrenAsync(TaskFrame frame, string groupName, IReadOnlyList<PlannedTask> children, bool parallel, int? limit, ParamScope scope)
    {
        if (CanSplit(frame, groupName) && ChunkPlan.TryCreate(children, parallel, _services.Options.MaxChildrenPerOrchestration) is { } chunks)
        {
            return await RunChunksAsync(frame, groupName, chunks, parallel, limit, scope);
        }

        var window = parallel && limit is { } l ? Math.Max(1, l) : int.MaxValue;

        // A part of a large group (a chunk) starts after the parts before it succeeded: only edges inside it count.
        var members = children.Select(c => c.Index).ToHashSet();
        IReadOnlyList<int> Inside(IReadOnlyList<int> indexes) => indexes.All(members.Contains) ? indexes : indexes.Where(members.Contains).ToList();
        var outcomes = new Dictionary<int, TaskOutcome>();
        var started = new HashSet<int>();
        var running = new List<(Task<TaskOutcome> Task, int Index)>();
        var errors = new List<TaskError>();
        var failed = false;
        Exception? fault = null;
        while (true)
        {
            if (!failed)
            {
                foreach (var child in children)
                {
                    if (running.Count >= window)
                    {
                        break;
                    }

                    var upstreams = Inside(parallel ? child.AfterIndexes : child.UpstreamIndexes);
                    if (started.Contains(child.Index) || !upstreams.All(u => outcomes.TryGetValue(u, out var o) && o.Succeeded))
                    {
                        continue;
                    }

                    var store = upstreams.Count == 0
                        ? scope.Store
                        : StoreParams.Join(scope.Store, upstreams.Order().Select(u => outcomes[u].Store));
                    started.Add(child.Index);
                    running.Add((RunTaskAsync(frame, child, scope.WithStore(store)), child.Index));
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
                _recorder.Flush();
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

        foreach (var child in children.Where(c => !started.Contains(c.Index)))
        {
            _recorder.Set(child.FullName, TaskState.Canceled);
        }

        if (fault is not null)
        {
            ExceptionDispatchInfo.Throw(fault);
        }

        return TaskOutcome.Failure(joined, errors);
    }

    /// <summary>A group can be handed to sub-orchestrations when they can find its children again: in the workflow's plan, or as the top of generated config.</summary>
    private static bool CanSplit(TaskFrame frame, string groupName) =>
        frame.IsWorkflowPlan || (frame.Generated is not null && groupName == frame.Plan.Root.FullName);

    /// <summary>
    /// Runs the parts of a large group as sub-orchestrations (bounded history): one after the
    /// other for a sequential group, with the store flowing through; side by side for a parallel
    /// one, the window <paramref name="limit"/> shared between the parts so no more than
    /// <paramref name="limit"/> children run at once.
    /// </summary>
    private async Task<TaskOutcome> RunChunksAsync(TaskFrame frame, string groupName, IReadOnlyList<IReadOnlyList<PlannedTask>> chunks, bool parallel, int? limit, ParamScope scope)
    {
        ChunkInput InputFor(IReadOnlyList<PlannedTask> chunk, int? chunkLimit, ParamScope chunkScope, string lane) => new()
        {
            Attempt = _input,
            GroupName = groupName,
            PlanChildIndexes = frame.IsWorkflowPlan ? chunk.Select(c => c.Index).ToList() : null,
            GeneratedChildren = frame.IsWorkflowPlan ? null : Subset(frame.Generated!, chunk),
            WorkingDirectory = frame.WorkingDirectory,
            Parallel = parallel,
            Limit = chunkLimit,
            Scope = chunkScope,
            Clock = _clock.Now,
            Lane = lane,
        };

        async Task<TaskOutcome> Start(IReadOnlyList<PlannedTask> chunk, int? chunkLimit, ParamScope chunkScope)
        {
            _recorder.Flush();
            var ordinal = ++_subOrchestrations;
            var id = SubOrchestrationIds.Chunk(_context.InstanceId, parentIsChunk: _clock.Lane is not null, ordinal);
            var outcome = await _context.CallSubOrchestratorAsync<TaskOutcome>(
                Activities.ActivityNames.ChunkOrchestrator, InputFor(chunk, chunkLimit, chunkScope, _clock.ChunkLane(ordinal)), new SubOrchestrationOptions(id));
            _clock.MovePast(outcome.Clock ?? 0);
            return outcome;
        }

        var outcomes = new List<TaskOutcome>();
        if (!parallel)
        {
            var store = scope.Store;
            for (var i = 0; i < chunks.Count; i++)
            {
                var outcome = await Start(chunks[i], null, scope.WithStore(store));
                _recorder.Adopt(outcome.Writes);
                outcomes.Add(outcome);
                store = outcome.Store;
                if (!outcome.Succeeded)
                {
                    foreach (var child in chunks.Skip(i + 1).SelectMany(c => c))
                    {
                        _recorder.Set(child.FullName, TaskState.Canceled);
                    }

                    return TaskOutcome.Failure(store, outcome.Errors);
                }
            }

            return TaskOutcome.Success(store);
        }

        // Each part gets a share of the window; with fewer slots than parts, parts run one child at a time, slots-many at once.
        var slots = limit ?? int.MaxValue;
        var concurrentParts = Math.Min(chunks.Count, slots);
        var running = new List<(Task<TaskOutcome> Task, int Index)>();
        var results = new SortedDictionary<int, TaskOutcome>();
        var next = 0;
        var failed = false;
        Exception? fault = null;
        while (next < chunks.Count || running.Count > 0)
        {
            while (!failed && next < chunks.Count && running.Count < concurrentParts)
            {
                int? share = limit is null ? null : Math.Max(1, (slots / concurrentParts) + (next % concurrentParts < slots % concurrentParts ? 1 : 0));
                running.Add((Start(chunks[next], share, scope), next));
                next++;
            }

            if (running.Count == 0)
            {
                break;
            }

            var done = await Task.WhenAny(running.Select(r => r.Task));
            var finished = running.First(r => r.Task == done);
            running.Remove(finished);
            if (OrchestratorFaults.Of(done) is { } error)
            {
                // A failed chunk orchestration: its siblings run to their end before it is raised, so none outlives the attempt.
                fault ??= error;
                failed = true;
                continue;
            }

            results[finished.Index] = await done;
            _recorder.Adopt(results[finished.Index].Writes);
            failed |= !results[finished.Index].Succeeded;
        }

        var joined = StoreParams.Join(scope.Store, results.Values.Select(o => o.Store));
        if (!failed)
        {
            return TaskOutcome.Success(joined);
        }

        foreach (var child in chunks.Skip(next).SelectMany(c => c))
        {
            _recorder.Set(child.FullName, TaskState.Canceled);
        }

        if (fault is not null)
        {
            ExceptionDispatchInfo.Throw(fault);
        }

        return TaskOutcome.Failure(joined, results.Values.SelectMany(o => o.Errors).ToList());
    }

    private static System.Text.Json.JsonElement Subset(JsonObject generated, IReadOnlyList<PlannedTask> chunk)
    {
        var subset = new JsonObject();
        foreach (var child in chunk)
        {
            subset[child.LocalName] = generated[child.LocalName]?.DeepClone();
        }

        return System.Text.Json.JsonSerializer.SerializeToElement(subset);
    }

    private static (bool Parallel, int? Limit) ParallelOf(PlannedTask task, RenderedTask rendered)
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
}
