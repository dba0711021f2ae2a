using System.Threading.Channels;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Execution;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>
/// Runs activities on a fixed number of workers and commits their results: with the turn they
/// make ready when a worker can run it at once, otherwise in batches, as messages. A work item
/// leaves the database only in the transaction that records its result, so an activity whose
/// result was not committed before a crash runs again: at least once, and again only if it was
/// in flight.
/// </summary>
internal sealed class ActivityWorkerPool(
    SqliteStore store,
    OrchestrationRegistry registry,
    DataConverter converter,
    SharedResults results,
    DurableRuntimeOptions options,
    Action<string> markReady,
    Func<string, CancellationToken, Task> runOrMarkReady,
    Func<ActivityResult, CancellationToken, Task<TurnDone>> runTurnWithResult,
    ILogger logger)
{
    private readonly Channel<ActivityWorkItem> _work = Channel.CreateUnbounded<ActivityWorkItem>();

    // Bounded, so that results finished but not yet committed (lost by a crash, hence run
    // again) never exceed workers + 2 × batch.
    private readonly Channel<ActivityResult> _results = Channel.CreateBounded<ActivityResult>(
        new BoundedChannelOptions(Math.Max(1, options.ActivityCommitBatch)) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    // A worker running an orchestration's turn itself (after committing its activity's result) gives up
    // its seat when the turn is slow, as dispatchers do: the pool keeps its size for activities.
    private readonly WorkerSeats _seats = new(Math.Max(1, options.ActivityWorkers), Math.Max(0, options.MaxSlowTurns), options.SlowTurnAfter);

    public void Enqueue(ActivityWorkItem item) => _work.Writer.TryWrite(item);

    /// <summary>Activities waiting for a worker.</summary>
    public int Queued => _work.Reader.Count;

    public Task RunAsync(CancellationToken cancellation)
    {
        var workers = _seats.Loops.Select(loop => Task.Run(() => WorkAsync(loop, cancellation), CancellationToken.None));
        return Task.WhenAll(workers
            .Append(Task.Run(() => CommitAsync(cancellation), CancellationToken.None))
            .Append(Task.Run(() => _seats.WatchAsync(cancellation), CancellationToken.None)));
    }

    private async Task WorkAsync(WorkerSeats.Loop loop, CancellationToken cancellation)
    {
        try
        {
            while (true)
            {
                await _seats.TakeSeatAsync(cancellation);
                ActivityWorkItem item;
                try
                {
                    item = await _work.Reader.ReadAsync(cancellation);
                }
                catch
                {
                    _seats.ReturnSeat();
                    throw;
                }

                loop.Hold();
                try
                {
                    // A sequence stays on this worker: the activity its turn schedules next runs here, not on a worker woken for it.
                    for (ActivityWorkItem? next = item; next is not null;)
                    {
                        var outcome = await RunOneAsync(next, cancellation);
                        next = null;
                        if (outcome is null)
                        {
                            break;
                        }

                        var (committed, following) = await TryCommitNowAsync(outcome, loop, cancellation);
                        if (!committed)
                        {
                            await _results.Writer.WriteAsync(outcome, cancellation);
                        }

                        next = following;
                    }
                }
                finally
                {
                    if (loop.End())
                    {
                        _seats.ReturnSeat();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Shutting down: unfinished items stay in the database and run after a restart.
        }
    }

    private async Task<ActivityResult?> RunOneAsync(ActivityWorkItem item, CancellationToken cancellation)
    {
        var now = options.TimeProvider.GetUtcNow().UtcDateTime;
        var activity = registry.FindActivity(item.Name);
        if (activity is null)
        {
            var missing = new TaskNotRegisteredException($"No activity named '{item.Name}' is registered in this runtime.");
            return new ActivityResult(item, Failed(item, missing, now));
        }

        try
        {
            var value = await activity(new TaskActivityContext(item.Name, item.InstanceId, item.TaskId), item.Input, item.Shared, converter, cancellation);
            var completedAt = options.TimeProvider.GetUtcNow().UtcDateTime;
            return new ActivityResult(item, new HistoryEvent(HistoryEventType.TaskCompleted, completedAt) { TaskScheduledId = item.TaskId, Payload = results.Serialize(value) });
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            return new ActivityResult(item, Failed(item, e, options.TimeProvider.GetUtcNow().UtcDateTime));
        }
    }

    /// <summary>
    /// Commits a result on the worker that produced it when no others wait to be committed: with
    /// the orchestration's next turn, in one transaction, when no dispatcher has the instance (a
    /// sequence of activities then goes turn, activity, turn on one thread, one commit a step,
    /// without hand-offs); otherwise alone, and then runs that turn here too if the instance is
    /// free by then. Results that queue up behind a commit are still committed together, in
    /// batches. Not committed when it was left to the committer (others are waiting, or the commit
    /// failed); with an activity the turn scheduled for this worker to run next.
    /// </summary>
    private async Task<(bool Committed, ActivityWorkItem? Next)> TryCommitNowAsync(ActivityResult result, WorkerSeats.Loop loop, CancellationToken cancellation)
    {
        if (_results.Reader.Count > 0)
        {
            return (false, null);
        }

        // Only the turn is timed: an activity may take its poll's time, a turn should not.
        loop.Begin();
        var done = await runTurnWithResult(result, cancellation);
        loop.Pause();
        if (done.ResultConsumed)
        {
            return (true, KeepOne(done.Activities, loop));
        }

        foreach (var item in done.Activities)
        {
            Enqueue(item);
        }

        IReadOnlyList<string> notified;
        try
        {
            notified = await store.CompleteActivitiesAsync([result], options.TimeProvider.GetUtcNow().UtcDateTime, cancellation);
        }
        catch (DurableStoreException)
        {
            // Nothing of it was written; the committer retries it with its delay.
            return (false, null);
        }

        foreach (var instanceId in notified)
        {
            loop.Begin();
            await runOrMarkReady(instanceId, cancellation);
            loop.Pause();
        }

        return (true, null);
    }

    /// <summary>
    /// Keeps the first of the activities a turn scheduled for this worker, when none are waiting for a
    /// worker and it still holds its seat (a slow turn gave it up); enqueues the others.
    /// </summary>
    private ActivityWorkItem? KeepOne(IReadOnlyList<ActivityWorkItem> scheduled, WorkerSeats.Loop loop)
    {
        ActivityWorkItem? kept = null;
        foreach (var item in scheduled)
        {
            if (kept is null && _work.Reader.Count == 0 && loop.HoldsSeat)
            {
                kept = item;
            }
            else
            {
                Enqueue(item);
            }
        }

        return kept;
    }

    private static HistoryEvent Failed(ActivityWorkItem item, Exception e, DateTime now) =>
        new(HistoryEventType.TaskFailed, now) { TaskScheduledId = item.TaskId, Failure = TaskFailureDetails.FromException(e) };

    private async Task CommitAsync(CancellationToken cancellation)
    {
        var batch = new List<ActivityResult>();
        try
        {
            // A batch kept after a failed commit is retried without waiting for another result to arrive.
            while (batch.Count > 0 || await _results.Reader.WaitToReadAsync(cancellation))
            {
                while (batch.Count < options.ActivityCommitBatch && _results.Reader.TryRead(out var result))
                {
                    batch.Add(result);
                }

                try
                {
                    var notified = await store.CompleteActivitiesAsync(batch, options.TimeProvider.GetUtcNow().UtcDateTime, cancellation);
                    batch.Clear();
                    foreach (var instanceId in notified.Distinct(StringComparer.Ordinal))
                    {
                        markReady(instanceId);
                    }
                }
                catch (DurableStoreException e)
                {
                    // The batch is kept and retried; nothing of it was written.
                    logger.LogError(e, "Committing {Count} activity results failed; retrying in {Delay}.", batch.Count, options.RetryDelay);
                    await Task.Delay(options.RetryDelay, options.TimeProvider, cancellation);
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Uncommitted results are lost on purpose: their activities run again after a restart.
        }
    }
}
