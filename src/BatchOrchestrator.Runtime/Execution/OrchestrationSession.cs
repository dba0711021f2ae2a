using BatchOrchestrator.Engine.Orchestration;
using Microsoft.Extensions.Logging;

namespace BatchOrchestrator.Runtime.Execution;

/// <summary>
/// One live execution of an orchestration: the orchestrator's suspended code plus what it is
/// waiting for. Fed history events one by one; after each, the code runs until it waits again.
/// A session built from history replays it once (<see cref="Replay"/>); a cached session only
/// takes the new events of each turn (<see cref="Apply"/>), so a turn costs O(new events).
/// Not thread-safe: one dispatcher at a time.
/// </summary>
internal sealed partial class OrchestrationSession
{
    private readonly Func<string, Func<IOrchestrationContext, Task<object?>>?> _findOrchestrator;
    private readonly DataConverter _converter;
    private readonly SharedResults _results;
    private readonly ILoggerFactory _loggerFactory;
    private readonly OrchestrationTaskScheduler _scheduler = new();
    private readonly Dictionary<int, Action<HistoryEvent>> _openTasks = [];
    private readonly SortedDictionary<int, OrchestratorAction> _pendingActions = [];
    private readonly Dictionary<string, LinkedList<TaskCompletionSource<string?>>> _eventWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Queue<string?>> _bufferedEvents = new(StringComparer.OrdinalIgnoreCase);
    private Task<object?>? _run;
    private OrchestrationCompletion? _completion;
    private Optional<string?> _customStatus;
    private (object? Input, bool Preserve)? _continueAsNew;
    private string? _input;
    private int _nextEventId;
    private int _guidCounter;

    public OrchestrationSession(
        string instanceId,
        string executionId,
        Func<string, Func<IOrchestrationContext, Task<object?>>?> findOrchestrator,
        DataConverter converter,
        SharedResults results,
        ILoggerFactory loggerFactory)
    {
        InstanceId = instanceId;
        ExecutionId = executionId;
        _findOrchestrator = findOrchestrator;
        _converter = converter;
        _results = results;
        _loggerFactory = loggerFactory;
    }

    public string ExecutionId { get; }

    /// <summary>How many history events this session has seen; must equal the stored count to be reused.</summary>
    public int HistoryCount { get; set; }

    /// <summary>Replays stored history (a cold start). Throws <see cref="NonDeterministicOrchestrationException"/>.</summary>
    public void Replay(IReadOnlyList<HistoryEvent> history)
    {
        IsReplaying = true;
        try
        {
            foreach (var e in history)
            {
                Process(e, replaying: true);
                if (_completion is not null)
                {
                    break;
                }
            }
        }
        finally
        {
            IsReplaying = false;
        }

        HistoryCount = history.Count;
    }

    /// <summary>Runs one turn over new events and returns what the code did.</summary>
    public TurnOutcome Apply(IReadOnlyList<HistoryEvent> newEvents)
    {
        foreach (var e in newEvents)
        {
            if (_completion is not null)
            {
                break;
            }

            Process(e, replaying: false);
        }

        var actions = _pendingActions.Values.ToList();
        _pendingActions.Clear();
        var status = _customStatus;
        _customStatus = Optional<string?>.None;
        return new TurnOutcome(actions, _completion, status);
    }

    private void Process(HistoryEvent e, bool replaying)
    {
        switch (e.EventType)
        {
            case HistoryEventType.OrchestratorStarted:
                CurrentUtcDateTime = e.Timestamp;
                return;
            case HistoryEventType.ExecutionStarted:
                Start(e);
                break;
            case HistoryEventType.TaskScheduled or HistoryEventType.TimerCreated
                or HistoryEventType.SubOrchestrationInstanceCreated or HistoryEventType.EventSent:
                Match(e, replaying);
                return;
            case HistoryEventType.TaskCompleted or HistoryEventType.TaskFailed or HistoryEventType.TimerFired
                or HistoryEventType.SubOrchestrationInstanceCompleted or HistoryEventType.SubOrchestrationInstanceFailed:
                // An id with no open task is a completion nobody awaits any more (a cancelled
                // timer) or a duplicate delivery; both are ignored, as on Durable Task.
                if (_openTasks.Remove(e.TaskScheduledId, out var complete))
                {
                    complete(e);
                }

                break;
            case HistoryEventType.EventRaised:
                Deliver(e.Name ?? "", e.Payload);
                break;
            default:
                return;
        }

        _scheduler.Pump();
        CheckCompletion();
    }

    private void Start(HistoryEvent e)
    {
        Name = e.Name ?? "";
        _input = e.Payload;
        var orchestrator = _findOrchestrator(Name);
        if (orchestrator is null)
        {
            var failure = new TaskNotRegisteredException($"No orchestrator named '{Name}' is registered in this runtime.");
            _completion = new OrchestrationCompletion(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(failure));
            return;
        }

        _run = _scheduler.Start(() => orchestrator(this));
    }

    private void Match(HistoryEvent e, bool replaying)
    {
        if (!replaying)
        {
            return;
        }

        if (!_pendingActions.Remove(e.EventId, out var action))
        {
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestrator '{Name}' (instance '{InstanceId}'): history has {Describe(e)}, " +
                "but on replay the orchestrator did not schedule anything with that id. Was the orchestrator code changed while the instance was running?");
        }

        if (!action.Matches(e))
        {
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestrator '{Name}' (instance '{InstanceId}'): history has {Describe(e)}, " +
                $"but on replay the orchestrator scheduled {action.Describe()}. Was the orchestrator code changed while the instance was running?");
        }
    }

    private static string Describe(HistoryEvent e) => e.EventType switch
    {
        HistoryEventType.TaskScheduled => $"TaskScheduled #{e.EventId} (activity '{e.Name}')",
        HistoryEventType.TimerCreated => $"TimerCreated #{e.EventId}",
        HistoryEventType.SubOrchestrationInstanceCreated => $"SubOrchestrationInstanceCreated #{e.EventId} ('{e.Name}')",
        HistoryEventType.EventSent => $"EventSent #{e.EventId} ('{e.Name}' to '{e.InstanceId}')",
        _ => $"{e.EventType} #{e.EventId}",
    };

    private void Deliver(string name, string? payload)
    {
        if (_eventWaiters.TryGetValue(name, out var waiters) && waiters.First is { } first)
        {
            waiters.RemoveFirst();
            first.Value.TrySetResult(payload);
            return;
        }

        if (!_bufferedEvents.TryGetValue(name, out var queue))
        {
            _bufferedEvents[name] = queue = new Queue<string?>();
        }

        queue.Enqueue(payload);
    }

    private void CheckCompletion()
    {
        if (_run is not { IsCompleted: true } || _completion is not null)
        {
            return;
        }

        if (_run.IsCompletedSuccessfully)
        {
            try
            {
                if (_continueAsNew is { } next)
                {
                    var carried = next.Preserve
                        ? _bufferedEvents.SelectMany(pair => pair.Value.Select(payload => new HistoryEvent(HistoryEventType.EventRaised, CurrentUtcDateTime) { Name = pair.Key, Payload = payload })).ToList()
                        : [];
                    _completion = new OrchestrationCompletion(OrchestrationRuntimeStatus.ContinuedAsNew, null, null)
                    {
                        Next = (_converter.Serialize(next.Input), carried),
                    };
                }
                else
                {
                    _completion = new OrchestrationCompletion(OrchestrationRuntimeStatus.Completed, _converter.Serialize(_run.Result), null);
                }
            }
            catch (DataConversionException e)
            {
                _completion = new OrchestrationCompletion(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(e));
            }

            return;
        }

        var exception = _run.Exception?.InnerException ?? new TaskCanceledException("The orchestrator was cancelled.");
        _completion = new OrchestrationCompletion(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(exception));
    }

    private int NextId() => _nextEventId++;
}
