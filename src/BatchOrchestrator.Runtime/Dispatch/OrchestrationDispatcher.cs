using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Execution;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace BatchOrchestrator.Runtime.Dispatch;

/// <summary>
/// Runs turns of orchestrations: takes an instance from the ready queue (so no other
/// dispatcher has it), reads its visible messages, runs them through its session (cached, or
/// rebuilt by replay), and commits the whole turn in one transaction. Only after the commit are
/// the produced activities, timers and messages handed on (the activities once the instance is
/// released, so that the worker finishing one finds the instance free for its next turn).
/// </summary>
internal sealed class OrchestrationDispatcher(
    SqliteStore store,
    OrchestrationRegistry registry,
    DataConverter converter,
    SharedResults results,
    DurableRuntimeOptions options,
    ReadyQueue ready,
    TimerQueue timers,
    SessionCache cache,
    ActivityWorkerPool activities,
    CompletionSignals signals,
    RuntimeCounters counters,
    TurnInterrupts interrupts,
    ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<OrchestrationDispatcher>();
    private readonly WorkerSeats _seats = new(Math.Max(1, options.OrchestrationDispatchers), Math.Max(0, options.MaxSlowTurns), options.SlowTurnAfter);

    public Task RunAsync(CancellationToken cancellation) =>
        Task.WhenAll(_seats.Loops
            .Select(seat => Task.Run(() => LoopAsync(seat, cancellation), CancellationToken.None))
            .Append(Task.Run(() => _seats.WatchAsync(cancellation), CancellationToken.None)));

    private DateTime Now => options.TimeProvider.GetUtcNow().UtcDateTime;

    private async Task LoopAsync(WorkerSeats.Loop seat, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            string instanceId;
            try
            {
                await _seats.TakeSeatAsync(cancellation);
                try
                {
                    instanceId = await ready.TakeAsync(cancellation);
                }
                catch
                {
                    _seats.ReturnSeat();
                    throw;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            seat.Hold();
            seat.Begin();
            try
            {
                Enqueue(await TurnAsync(instanceId, null, cancellation));
            }
            finally
            {
                if (seat.End())
                {
                    _seats.ReturnSeat();
                }
            }
        }
    }

    /// <summary>
    /// Runs the instance's next turn on the calling thread when it is free (an activity worker
    /// that just committed its result: the orchestration moves on without a hand-off to a
    /// dispatcher thread, and the activity it schedules next is usually taken by the same
    /// worker); otherwise marks it ready for a dispatcher, as usual.
    /// </summary>
    public async Task RunOrMarkReadyAsync(string instanceId, CancellationToken cancellation)
    {
        if (ready.MarkReadyOrClaim(instanceId))
        {
            Enqueue(await TurnAsync(instanceId, null, cancellation));
        }
    }

    /// <summary>
    /// Runs the instance's next turn on the calling thread with an activity result the caller holds,
    /// not yet in the database, when no dispatcher holds the instance or waits for it: the result
    /// and everything the turn does with it are committed in one transaction. Not consumed when no
    /// turn committed the result (the instance was busy, suspended, finished or being terminated, or
    /// the turn failed or was interrupted): the caller then commits the result alone, as a message.
    /// The activities a turn scheduled are the caller's to run or enqueue, either way.
    /// </summary>
    public async Task<TurnDone> TryRunTurnWithResultAsync(ActivityResult result, CancellationToken cancellation)
    {
        var instanceId = result.WorkItem.InstanceId;
        return ready.TryClaim(instanceId) ? await TurnAsync(instanceId, result, cancellation) : TurnDone.Nothing;
    }

    private void Enqueue(TurnDone done)
    {
        foreach (var item in done.Activities)
        {
            activities.Enqueue(item);
        }
    }

    /// <summary>
    /// One turn of an instance the caller holds (released at the end, whatever happens). The
    /// activities it scheduled are handed on by the caller, after the release.
    /// </summary>
    private async Task<TurnDone> TurnAsync(string instanceId, ActivityResult? inHand, CancellationToken cancellation)
    {
        var done = TurnDone.Nothing;
        try
        {
            done = await ProcessAsync(instanceId, inHand, interrupts.Begin(instanceId), cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return TurnDone.Nothing;
        }
        catch (Exception e)
        {
            // Nothing of the turn was committed; the messages are still there. Try again later.
            cache.Remove(instanceId);
            _logger.LogError(e, "Processing orchestration '{InstanceId}' failed; retrying in {Delay}.", instanceId, options.RetryDelay);
            timers.Add(instanceId, Now + options.RetryDelay);
        }
        finally
        {
            interrupts.End(instanceId);
            ready.Release(instanceId);
        }

        return done;
    }

    private async Task<TurnDone> ProcessAsync(string instanceId, ActivityResult? inHand, CancellationToken interrupted, CancellationToken cancellation)
    {
        var now = Now;
        var (instance, messages) = await store.GetTurnInputAsync(instanceId, now, cancellation);
        if (messages.Count == 0 && inHand is null)
        {
            return TurnDone.Nothing;
        }

        if (instance is null || instance.IsTerminal)
        {
            // A result in hand is left to its worker, whose commit finds the work item gone and drops it.
            cache.Remove(instanceId);
            if (messages.Count > 0)
            {
                await store.DeleteMessagesAsync(messages.Select(m => m.Id).ToList(), cancellation);
            }

            return TurnDone.Nothing;
        }

        if (now < instance.UpdatedAt)
        {
            now = instance.UpdatedAt; // the replay-safe clock never moves backwards
        }

        var terminate = messages.FirstOrDefault(m => m.Event.EventType == HistoryEventType.ExecutionTerminated);
        if (terminate is not null)
        {
            await TerminateAsync(instance, messages, terminate.Event, now, cancellation);
            return TurnDone.Nothing;
        }

        var (consumed, controlHistory, feed, status) = Sort(instance, messages, now);
        var resultFed = inHand is not null && Feeds(instance, status, inHand);
        if (resultFed)
        {
            // Last, as if it had been queued now: after every message already there.
            feed.Add(inHand!.Event);
        }

        if (feed.Count == 0)
        {
            if (consumed.Count > 0)
            {
                cache.Remove(instanceId); // its history count changes without it
                var after = instance with { Status = status, UpdatedAt = now, HistoryCount = instance.HistoryCount + controlHistory.Count };
                await CommitAsync(new TurnCommit(instance, after) { ConsumedMessageIds = consumed, AppendedHistory = controlHistory }, null, cancellation);
            }

            return TurnDone.Nothing;
        }

        var session = cache.Take(instanceId);
        if (resultFed && !IsCurrent(session, instance))
        {
            // A replay comes first (after a restart, or an evicted session): the result is committed
            // alone before it, as a message, so that a crash during a long replay does not lose it
            // and run its activity again. Nothing of this turn was written.
            return TurnDone.Nothing;
        }

        OrchestrationCompletion? forcedFailure = null;
        TurnOutcome? outcome = null;
        try
        {
            if (!IsCurrent(session, instance))
            {
                session = await ColdSessionAsync(instance, interrupted, cancellation);
            }

            session.Interrupted = interrupted;
            outcome = session.Apply([new HistoryEvent(HistoryEventType.OrchestratorStarted, now), .. feed]);
        }
        catch (NonDeterministicOrchestrationException e) when (!interrupted.IsCancellationRequested)
        {
            _logger.LogError("{Message}", e.Message);
            forcedFailure = new OrchestrationCompletion(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(e));
            session = null;
        }
        catch (NonDeterministicOrchestrationException)
        {
            // An interrupted replay may take another path; the turn is given up below.
        }

        if (interrupted.IsCancellationRequested)
        {
            // A termination came while the code ran: nothing of this turn is kept (its code may have
            // stopped half-way). The termination's own turn comes next — whoever sent it marked the
            // instance ready — and, being first among its messages, ends it without running the code again.
            cache.Remove(instanceId);
            return TurnDone.Nothing;
        }

        var turn = BuildTurn(instance with { Status = status }, now, consumed, controlHistory, feed, outcome, forcedFailure ?? outcome!.Completion)
            with { CompletedWorkItem = resultFed ? inHand!.WorkItem : null };
        var keep = turn.After.Status is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended && !turn.ResetHistory ? session : null;
        if (keep is not null)
        {
            keep.HistoryCount = turn.After.HistoryCount;
        }

        var effects = await CommitAsync(turn, keep, cancellation);
        return new TurnDone(resultFed, effects.Activities);
    }

    /// <summary>Whether a cached session is the instance as it is in the database (otherwise it is rebuilt by replay).</summary>
    private static bool IsCurrent([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] OrchestrationSession? session, InstanceRecord instance) =>
        session is not null && session.ExecutionId == instance.ExecutionId && session.HistoryCount == instance.HistoryCount;

    /// <summary>Whether a turn of the instance takes the activity result now, as it would take its message (see <see cref="Sort"/>).</summary>
    private static bool Feeds(InstanceRecord instance, OrchestrationRuntimeStatus status, ActivityResult result) =>
        status != OrchestrationRuntimeStatus.Suspended && instance.HistoryCount > 0 && result.WorkItem.ExecutionId == instance.ExecutionId;

    private async Task<OrchestrationSession> ColdSessionAsync(InstanceRecord instance, CancellationToken interrupted, CancellationToken cancellation)
    {
        var session = new OrchestrationSession(instance.InstanceId, instance.ExecutionId, registry.FindOrchestrator, converter, results, loggerFactory) { Interrupted = interrupted };
        if (instance.HistoryCount > 0)
        {
            var history = await store.GetHistoryAsync(instance.InstanceId, cancellation);
            Interlocked.Increment(ref counters.Replays);
            Interlocked.Add(ref counters.ReplayedEvents, history.Count);
            session.Replay(history);
        }

        return session;
    }

    /// <summary>Splits messages into control (suspend/resume), events for the orchestrator, and ones to leave queued.</summary>
    private static (List<long> Consumed, List<HistoryEvent> ControlHistory, List<HistoryEvent> Feed, OrchestrationRuntimeStatus Status) Sort(
        InstanceRecord instance, IReadOnlyList<QueuedMessage> messages, DateTime now)
    {
        var consumed = new List<long>();
        var control = new List<HistoryEvent>();
        var feed = new List<HistoryEvent>();
        var status = instance.Status;
        foreach (var m in messages)
        {
            if (m.ExecutionId is not null && m.ExecutionId != instance.ExecutionId)
            {
                consumed.Add(m.Id); // addressed to an execution that continued as new
            }
            else if (m.Event.EventType == HistoryEventType.ExecutionSuspended)
            {
                consumed.Add(m.Id);
                if (status is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending)
                {
                    status = OrchestrationRuntimeStatus.Suspended;
                    control.Add(m.Event with { Timestamp = now });
                }
            }
            else if (m.Event.EventType == HistoryEventType.ExecutionResumed)
            {
                consumed.Add(m.Id);
                if (status == OrchestrationRuntimeStatus.Suspended)
                {
                    status = instance.HistoryCount == 0 ? OrchestrationRuntimeStatus.Pending : OrchestrationRuntimeStatus.Running;
                    control.Add(m.Event with { Timestamp = now });
                }
            }
        }

        var started = instance.HistoryCount > 0 || messages.Any(m => m.Event.EventType == HistoryEventType.ExecutionStarted && m.ExecutionId == instance.ExecutionId);
        if (status != OrchestrationRuntimeStatus.Suspended && started)
        {
            foreach (var m in messages)
            {
                if ((m.ExecutionId is null || m.ExecutionId == instance.ExecutionId)
                    && m.Event.EventType is not (HistoryEventType.ExecutionSuspended or HistoryEventType.ExecutionResumed))
                {
                    consumed.Add(m.Id);
                    feed.Add(m.Event);
                }
            }
        }

        // Events that arrive before a delayed start, or while suspended, stay queued until then.
        return (consumed, control, feed, status);
    }

    private TurnCommit BuildTurn(
        InstanceRecord instance,
        DateTime now,
        List<long> consumed,
        List<HistoryEvent> controlHistory,
        List<HistoryEvent> feed,
        TurnOutcome? outcome,
        OrchestrationCompletion? completion)
    {
        var history = new List<HistoryEvent>(2 + controlHistory.Count + feed.Count + (outcome?.Actions.Count ?? 0))
        {
            new(HistoryEventType.OrchestratorStarted, now),
        };
        history.AddRange(controlHistory);
        history.AddRange(feed);

        var activityCalls = new List<(int, string, string?, object?)>();
        var messages = new List<OutgoingMessage>();
        var children = new List<ChildStart>();
        foreach (var action in outcome?.Actions ?? [])
        {
            history.Add(action.ToEvent(now));
            switch (action)
            {
                case ScheduleTaskAction task:
                    activityCalls.Add((task.Id, task.Name, task.Input, task.Shared));
                    break;
                case CreateTimerAction timer:
                    messages.Add(new OutgoingMessage(instance.InstanceId, instance.ExecutionId, timer.FireAt,
                        new HistoryEvent(HistoryEventType.TimerFired, now) { TaskScheduledId = timer.Id, FireAt = timer.FireAt }));
                    break;
                case CreateSubOrchestrationAction sub:
                    var child = new InstanceRecord(sub.InstanceId, Guid.NewGuid().ToString("N"), sub.Name, OrchestrationRuntimeStatus.Pending, now, now)
                    {
                        Input = sub.Input,
                        ParentInstanceId = instance.InstanceId,
                        ParentExecutionId = instance.ExecutionId,
                        ParentTaskId = sub.Id,
                    };
                    children.Add(new ChildStart(child, new HistoryEvent(HistoryEventType.ExecutionStarted, now) { Name = sub.Name, Payload = sub.Input, InstanceId = instance.InstanceId }));
                    break;
                case SendEventAction send:
                    messages.Add(new OutgoingMessage(send.InstanceId, null, now, new HistoryEvent(HistoryEventType.EventRaised, now) { Name = send.Name, Payload = send.Payload }));
                    break;
            }
        }

        var after = instance with
        {
            Status = instance.Status == OrchestrationRuntimeStatus.Pending ? OrchestrationRuntimeStatus.Running : instance.Status,
            UpdatedAt = now,
            CustomStatus = outcome?.CustomStatus is { HasValue: true } custom ? custom.Value : instance.CustomStatus,
        };

        if (completion is { Status: OrchestrationRuntimeStatus.ContinuedAsNew, Next: { } next })
        {
            // A new execution with an empty history; only events already sent leave the old one.
            var executionId = Guid.NewGuid().ToString("N");
            var restart = new List<OutgoingMessage>
            {
                new(instance.InstanceId, executionId, now, new HistoryEvent(HistoryEventType.ExecutionStarted, now) { Name = instance.Name, Payload = next.Input, InstanceId = instance.ParentInstanceId }),
            };
            restart.AddRange(next.CarriedEvents.Select(e => new OutgoingMessage(instance.InstanceId, executionId, now, e)));
            restart.AddRange(messages.Where(m => m.Event.EventType == HistoryEventType.EventRaised));
            return new TurnCommit(instance, after with { ExecutionId = executionId, Status = OrchestrationRuntimeStatus.Running, Input = next.Input, Output = null, HistoryCount = 0 })
            {
                ConsumedMessageIds = consumed,
                ResetHistory = true,
                NewMessages = restart,
            };
        }

        if (completion is not null)
        {
            history.Add(new HistoryEvent(HistoryEventType.ExecutionCompleted, now) { Name = completion.Status.ToString(), Payload = completion.Output, Failure = completion.Failure });
            after = after with { Status = completion.Status, Output = completion.Output, Failure = completion.Failure, CompletedAt = now };
            if (NotifyParent(instance, now, completion.Status == OrchestrationRuntimeStatus.Completed, completion.Output, completion.Failure) is { } toParent)
            {
                messages.Add(toParent);
            }
        }

        return new TurnCommit(instance, after with { HistoryCount = instance.HistoryCount + history.Count })
        {
            ConsumedMessageIds = consumed,
            AppendedHistory = history,
            NewActivities = activityCalls,
            NewMessages = messages,
            NewChildren = children,
        };
    }

    private static OutgoingMessage? NotifyParent(InstanceRecord instance, DateTime now, bool succeeded, string? output, TaskFailureDetails? failure)
    {
        if (instance.ParentInstanceId is null)
        {
            return null;
        }

        var e = succeeded
            ? new HistoryEvent(HistoryEventType.SubOrchestrationInstanceCompleted, now) { TaskScheduledId = instance.ParentTaskId, Payload = output }
            : new HistoryEvent(HistoryEventType.SubOrchestrationInstanceFailed, now) { TaskScheduledId = instance.ParentTaskId, Failure = failure };
        return new OutgoingMessage(instance.ParentInstanceId, instance.ParentExecutionId, now, e);
    }

    private async Task TerminateAsync(InstanceRecord instance, IReadOnlyList<QueuedMessage> messages, HistoryEvent terminate, DateTime now, CancellationToken cancellation)
    {
        cache.Remove(instance.InstanceId);
        var terminated = terminate with { Timestamp = now };
        var failure = new TaskFailureDetails("Terminated", $"Orchestration '{instance.InstanceId}' was terminated: {terminate.Payload ?? "(no reason)"}");
        var after = instance with
        {
            Status = OrchestrationRuntimeStatus.Terminated,
            Output = terminate.Payload,
            UpdatedAt = now,
            CompletedAt = now,
            HistoryCount = instance.HistoryCount + 2,
        };
        var toParent = NotifyParent(instance, now, succeeded: false, null, failure);
        await CommitAsync(
            new TurnCommit(instance, after)
            {
                ConsumedMessageIds = messages.Select(m => m.Id).ToList(),
                AppendedHistory = [new HistoryEvent(HistoryEventType.OrchestratorStarted, now), terminated],
                NewMessages = toParent is null ? [] : [toParent],
                TerminateChildrenReason = terminate.Name == TerminateFlags.Recursive ? terminate.Payload ?? "parent terminated" : null,
            },
            null,
            cancellation);
    }

    /// <summary>Commits the turn and hands on what it produced, but its activities: the caller enqueues those once it released the instance.</summary>
    private async Task<CommitEffects> CommitAsync(TurnCommit turn, OrchestrationSession? keep, CancellationToken cancellation)
    {
        // The turn is durable before anything it produced becomes visible to workers.
        var effects = await store.CommitTurnAsync(turn, cancellation);
        Interlocked.Increment(ref counters.Turns);
        if (keep is not null)
        {
            cache.Put(turn.After.InstanceId, keep);
        }
        else
        {
            cache.Remove(turn.After.InstanceId);
        }

        foreach (var child in effects.Terminated)
        {
            interrupts.Terminating(child);
        }

        var now = Now;
        foreach (var (instanceId, visibleAt) in effects.Messages)
        {
            if (visibleAt <= now)
            {
                ready.MarkReady(instanceId);
            }
            else
            {
                timers.Add(instanceId, visibleAt);
            }
        }

        if (turn.After.Status != turn.Before.Status || turn.After.IsTerminal || turn.ResetHistory)
        {
            signals.Changed(turn.After.InstanceId);
        }

        return effects;
    }
}
