using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// Collects task state changes made in orchestrator code and writes them through the
/// <see cref="ActivityNames.RecordTasks"/> activity in batches, without holding up the workflow.
/// Sequence numbers come from the orchestration's <see cref="AttemptClock"/>, so they are the
/// same on replay and a chunk's updates are later than those of the chunks that ran the same
/// tasks before it (a group retry), whenever they ran.
/// </summary>
internal sealed class TaskRecorder(IOrchestrationContext context, string attemptId, AttemptClock clock)
{
    private readonly List<RecordUpdate> _pending = [];
    private readonly List<WriteLogInput> _logs = [];
    private readonly List<Task> _flushes = [];
    private readonly Dictionary<string, TaskRecord> _latest = new(StringComparer.Ordinal);

    public void Update(string taskName, Func<TaskRecord, TaskRecord> change)
    {
        var current = _latest.GetValueOrDefault(taskName) ?? new TaskRecord { AttemptId = attemptId, TaskName = taskName, State = TaskState.Blocked };
        var next = change(current);
        _latest[taskName] = next;
        _pending.Add(new RecordUpdate(next, clock.Tick()));
    }

    public void Set(string taskName, TaskState state, string? error = null) =>
        Update(taskName, r => r with
        {
            State = state,
            Error = error ?? r.Error,
            StartedAt = r.StartedAt ?? (state == TaskState.Running ? context.CurrentUtcDateTime : null),
            FinishedAt = TaskStateProgress.IsFinished(state) ? context.CurrentUtcDateTime : r.FinishedAt,
        });

    /// <summary>Appends text to a task's log with the next write (<c>echo&gt;</c>: no activity of its own).</summary>
    public void Log(TaskLogKey key, string text) => _logs.Add(new WriteLogInput(key, text));

    /// <summary>
    /// Hands the pending records and log lines to the activity about to be called, at most one
    /// batch (<see cref="WriteBatches"/>): what does not fit goes out at once as batches of its own.
    /// </summary>
    public PendingWrites? Take()
    {
        if (_pending.Count == 0 && _logs.Count == 0)
        {
            return null;
        }

        var batches = WriteBatches.Split(Latest(_pending), _logs);
        _pending.Clear();
        _logs.Clear();
        foreach (var batch in batches.Take(batches.Count - 1))
        {
            Write(batch);
        }

        return batches[^1];
    }

    /// <summary>
    /// The newest update of each task, where its first update was: the store keeps the newest
    /// anyway, so the ones before it in the same batch would only be written to be overwritten
    /// (a task that starts and ends between two activity calls is written once, not three
    /// times). Tasks keep the order of their first update, which is the order they are listed in.
    /// </summary>
    private static List<RecordUpdate> Latest(List<RecordUpdate> updates)
    {
        var latest = new List<RecordUpdate>(updates.Count);
        var positions = new Dictionary<string, int>(updates.Count, StringComparer.Ordinal);
        foreach (var update in updates)
        {
            if (!positions.TryGetValue(update.Record.TaskName, out var position))
            {
                positions.Add(update.Record.TaskName, latest.Count);
                latest.Add(update);
            }
            else if (update.Sequence > latest[position].Sequence)
            {
                latest[position] = update;
            }
        }

        return latest;
    }

    /// <summary>
    /// Schedules the pending writes as an activity of their own, without waiting for it; called
    /// before the orchestrator waits on something that is not an activity call (a timer, children).
    /// </summary>
    public void Flush()
    {
        if (Take() is { } writes)
        {
            Write(writes);
        }
    }

    private void Write(PendingWrites batch) =>
        _flushes.Add(context.CallActivityAsync(ActivityNames.RecordTasks, new RecordTasksInput { Writes = batch }));

    /// <summary>Takes over writes a sub-orchestration handed up, at most one batch (they keep their own sequence numbers).</summary>
    public void Adopt(PendingWrites? writes)
    {
        if (writes is not null)
        {
            _pending.AddRange(writes.Records);
            _logs.AddRange(writes.Logs);
        }
    }

    /// <summary>Waits for the batches already scheduled, leaving what is pending to <see cref="Take"/>.</summary>
    public Task AwaitScheduledAsync() => Task.WhenAll(_flushes);

    /// <summary>Writes what is pending and waits for every batch (at the end of an orchestration, so nothing is lost).</summary>
    public Task DrainAsync()
    {
        Flush();
        return AwaitScheduledAsync();
    }
}
