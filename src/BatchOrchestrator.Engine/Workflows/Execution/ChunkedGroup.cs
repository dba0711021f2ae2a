using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Telemetry;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Compilation;

namespace BatchOrchestrator.Engine.Workflows.Execution;

/// <summary>
/// A group too large for one orchestration's history, run as parts (chunks), each a
/// sub-orchestration (invariant 3: history stays bounded), whose records ride up to this one.
/// </summary>
internal sealed class ChunkedGroup(IOrchestrationContext context, AttemptInput input, TaskRecorder recorder, AttemptClock clock, OrchestrationTelemetry telemetry, int maxPartsAtOnce)
{
    /// <summary>Sub-orchestration calls made so far: the ordinal in the next chunk's instance id.</summary>
    private int _subOrchestrations;

    /// <summary>
    /// Runs the parts of a large group as sub-orchestrations (bounded history): one after the
    /// other for a sequential group, with the store flowing through; side by side for a parallel
    /// one, at most <c>maxPartsAtOnce</c> parts at a time (see <see cref="WorkflowEngineOptions.MaxPartsAtOnce"/>),
    /// the window <paramref name="limit"/> shared between them so no more than
    /// <paramref name="limit"/> children run at once.
    /// </summary>
    public async Task<TaskOutcome> RunAsync(TaskFrame frame, string groupName, IReadOnlyList<IReadOnlyList<PlannedTask>> chunks, bool parallel, int? limit, ParamScope scope)
    {
        ChunkInput InputFor(IReadOnlyList<PlannedTask> chunk, int? chunkLimit, ParamScope chunkScope, string lane) => new()
        {
            Attempt = input,
            GroupName = groupName,
            PlanChildIndexes = frame.IsWorkflowPlan ? chunk.Select(c => c.Index).ToList() : null,
            GeneratedChildren = frame.IsWorkflowPlan ? null : Subset(frame.Generated!, chunk),
            WorkingDirectory = frame.WorkingDirectory,
            Parallel = parallel,
            Limit = chunkLimit,
            Scope = chunkScope,
            Clock = clock.Now,
            Lane = lane,
            ParentSpanId = telemetry.SpanOf(groupName),
        };

        async Task<TaskOutcome> Start(IReadOnlyList<PlannedTask> chunk, int? chunkLimit, ParamScope chunkScope)
        {
            recorder.Flush();
            var ordinal = ++_subOrchestrations;
            var id = SubOrchestrationIds.Chunk(context.InstanceId, parentIsChunk: clock.Lane is not null, ordinal);
            var outcome = await context.CallSubOrchestratorAsync<TaskOutcome>(
                ActivityNames.ChunkOrchestrator, InputFor(chunk, chunkLimit, chunkScope, clock.ChunkLane(ordinal)), new SubOrchestrationOptions(id));
            clock.MovePast(outcome.Clock ?? 0);
            return outcome;
        }

        var outcomes = new List<TaskOutcome>();
        if (!parallel)
        {
            var store = scope.Store;
            for (var i = 0; i < chunks.Count; i++)
            {
                var outcome = await Start(chunks[i], null, scope.WithStore(store));
                recorder.Adopt(outcome.Writes);
                outcomes.Add(outcome);
                store = outcome.Store;
                if (!outcome.Succeeded)
                {
                    foreach (var child in chunks.Skip(i + 1).SelectMany(c => c))
                    {
                        recorder.Set(child.FullName, TaskState.Canceled);
                    }

                    return TaskOutcome.Failure(store, outcome.Errors);
                }
            }

            return TaskOutcome.Success(store);
        }

        // Each part gets a share of the window; with fewer slots than parts, parts run one child at a time, slots-many at once.
        var slots = limit ?? int.MaxValue;
        var concurrentParts = Math.Min(chunks.Count, Math.Min(slots, Math.Max(1, maxPartsAtOnce)));
        // A lane's share of the window passes to the part that takes the lane over, so the shares of the parts running add up to the limit.
        var freeLanes = new Queue<int>(Enumerable.Range(0, concurrentParts));
        var running = new List<(Task<TaskOutcome> Task, int Index, int Lane)>();
        var results = new SortedDictionary<int, TaskOutcome>();
        var next = 0;
        var failed = false;
        Exception? fault = null;
        while (next < chunks.Count || running.Count > 0)
        {
            // Without a limit every child would have started at once: a failed part leaves the parts still waiting for a lane to run all the same.
            while (fault is null && (!failed || limit is null) && next < chunks.Count && freeLanes.Count > 0)
            {
                var lane = freeLanes.Dequeue();
                int? share = limit is null ? null : Math.Max(1, (slots / concurrentParts) + (lane < slots % concurrentParts ? 1 : 0));
                running.Add((Start(chunks[next], share, scope), next, lane));
                next++;
            }

            if (running.Count == 0)
            {
                break;
            }

            var done = await Task.WhenAny(running.Select(r => r.Task));
            var finished = running.First(r => r.Task == done);
            running.Remove(finished);
            freeLanes.Enqueue(finished.Lane);
            if (OrchestratorFaults.Of(done) is { } error)
            {
                // A failed chunk orchestration: its siblings run to their end before it is raised, so none outlives the attempt.
                fault ??= error;
                failed = true;
                continue;
            }

            // The part's writes go on with this orchestration's; kept in its outcome too, every part's would stay until the last ends.
            var result = await done;
            recorder.Adopt(result.Writes);
            results[finished.Index] = result with { Writes = null };
            failed |= !result.Succeeded;
        }

        var joined = StoreParams.Join(scope.Store, results.Values.Select(o => o.Store));
        if (!failed)
        {
            return TaskOutcome.Success(joined);
        }

        foreach (var child in chunks.Skip(next).SelectMany(c => c))
        {
            recorder.Set(child.FullName, TaskState.Canceled);
        }

        if (fault is not null)
        {
            ExceptionDispatchInfo.Throw(fault);
        }

        return TaskOutcome.Failure(joined, results.Values.SelectMany(o => o.Errors).ToList());
    }

    private static JsonElement Subset(JsonObject generated, IReadOnlyList<PlannedTask> chunk)
    {
        var subset = new JsonObject();
        foreach (var child in chunk)
        {
            subset[child.LocalName] = generated[child.LocalName]?.DeepClone();
        }

        return JsonSerializer.SerializeToElement(subset, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.JsonObject);
    }
}
