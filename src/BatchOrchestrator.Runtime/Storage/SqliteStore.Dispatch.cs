using BatchOrchestrator.Engine.Orchestration;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>The store's side for the dispatchers: reading work, committing turns and activity results.</summary>
internal sealed partial class SqliteStore
{
    public Task<InstanceRecord?> GetInstanceAsync(string instanceId, CancellationToken cancellation) =>
        ReadAsync("read an instance", c => FindInstance(c, null, instanceId), cancellation);

    /// <summary>What a turn starts from, in one read: the instance and its messages visible at <paramref name="now"/>.</summary>
    public Task<(InstanceRecord? Instance, IReadOnlyList<QueuedMessage> Messages)> GetTurnInputAsync(string instanceId, DateTime now, CancellationToken cancellation) =>
        ReadOnWriterAsync<(InstanceRecord?, IReadOnlyList<QueuedMessage>)>("read an instance and its messages", () =>
        {
            InstanceRecord? instance;
            using (var reader = Prepared($"SELECT {InstanceColumns} FROM instances WHERE instance_id = $id", null).Bind("$id", instanceId).ExecuteReader())
            {
                instance = reader.Read() ? ReadInstance(reader) : null;
            }

            var messages = new List<QueuedMessage>();
            using (var reader = Prepared("SELECT id, execution_id, visible_at, event FROM orchestration_queue WHERE instance_id = $id AND visible_at <= $now ORDER BY id", null)
                .Bind("$id", instanceId).Bind("$now", Ticks(now)).ExecuteReader())
            {
                while (reader.Read())
                {
                    messages.Add(new QueuedMessage(reader.GetInt64(0), instanceId, reader.NullableString(1), SqliteCommands.Utc(reader.GetInt64(2)), _payloads.Resolve(_writer, null, EventSerializer.Read(reader.GetString(3)))));
                }
            }

            return (instance, messages);
        }, cancellation);

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellation) =>
        ReadAsync<IReadOnlyList<HistoryEvent>>("read history", c =>
        {
            using var command = c.Command("SELECT event FROM history WHERE instance_id = $id ORDER BY seq").With("$id", instanceId);
            using var reader = command.ExecuteReader();
            var events = new List<HistoryEvent>();
            while (reader.Read())
            {
                events.Add(_payloads.Resolve(c, null, EventSerializer.Read(reader.GetString(0))));
            }

            return events;
        }, cancellation);

    /// <summary>All activities not yet completed, for a runtime that starts on this database.</summary>
    public Task<IReadOnlyList<ActivityWorkItem>> GetPendingActivitiesAsync(CancellationToken cancellation) =>
        ReadAsync<IReadOnlyList<ActivityWorkItem>>("read pending activities", c =>
        {
            // The input is the payload of the item's TaskScheduled event (inline only in rows of schema version 1).
            using var command = c.Command(
                """
                SELECT a.instance_id, a.execution_id, a.task_id, a.name, a.input, h.event
                FROM activity_queue a LEFT JOIN history h ON h.instance_id = a.instance_id AND h.seq = a.history_seq
                ORDER BY a.instance_id, a.task_id
                """);
            using var reader = command.ExecuteReader();
            var items = new List<ActivityWorkItem>();
            while (reader.Read())
            {
                var input = reader.IsDBNull(5) ? reader.NullableString(4) : EventSerializer.Read(reader.GetString(5)).Payload;
                items.Add(new ActivityWorkItem(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), input));
            }

            return items;
        }, cancellation);

    /// <summary>Messages with an id above <paramref name="afterId"/>: who has work and from when.</summary>
    /// <summary>Messages queued after <paramref name="afterId"/>: whom they are for, when they become visible, and whether they terminate the instance.</summary>
    public Task<(IReadOnlyList<(string InstanceId, DateTime VisibleAt, bool Terminates)> Messages, long LastId)> GetMessagesAfterAsync(long afterId, CancellationToken cancellation) =>
        ReadAsync<(IReadOnlyList<(string, DateTime, bool)>, long)>("poll messages", c =>
        {
            using var command = c.Command(
                "SELECT id, instance_id, visible_at, json_extract(event, '$.EventType') = 'ExecutionTerminated' FROM orchestration_queue WHERE id > $after ORDER BY id")
                .With("$after", afterId);
            using var reader = command.ExecuteReader();
            var found = new List<(string, DateTime, bool)>();
            var last = afterId;
            while (reader.Read())
            {
                last = reader.GetInt64(0);
                found.Add((reader.GetString(1), SqliteCommands.Utc(reader.GetInt64(2)), reader.GetInt64(3) == 1));
            }

            return (found, last);
        }, cancellation);

    public Task DeleteMessagesAsync(IReadOnlyList<long> ids, CancellationToken cancellation) =>
        WriteAsync("delete messages", t =>
        {
            DeleteMessages(t, ids);
            return 0;
        }, cancellation);

    private void DeleteMessages(SqliteTransaction transaction, IReadOnlyList<long> ids)
    {
        var delete = Prepared("DELETE FROM orchestration_queue WHERE id = $id", transaction);
        foreach (var id in ids)
        {
            delete.Bind("$id", id).ExecuteNonQuery();
        }
    }

    /// <summary>Commits one turn of an orchestration, all or nothing.</summary>
    public Task<CommitEffects> CommitTurnAsync(TurnCommit turn, CancellationToken cancellation) =>
        WriteAsync("commit an orchestration step", t => CommitTurn(t, turn), cancellation);

    private CommitEffects CommitTurn(SqliteTransaction t, TurnCommit turn)
    {
        var before = turn.Before;
        var after = turn.After;
        var id = after.InstanceId;
        var activities = new List<ActivityWorkItem>();
        var messages = new List<(string, DateTime)>();

        if (turn.CompletedWorkItem is { } workItem && !DeleteWorkItem(t, workItem))
        {
            // Only a turn of the instance (which the caller holds) or the purge of a finished one removes it.
            throw new InvalidOperationException($"The work item of activity #{workItem.TaskId} of instance '{id}' is gone; the turn that consumed its result is discarded.");
        }

        DeleteMessages(t, turn.ConsumedMessageIds);
        if (turn.ResetHistory)
        {
            _writer.Execute(t, "DELETE FROM history WHERE instance_id = $id", ("$id", id));
            _writer.Execute(t, "DELETE FROM activity_queue WHERE instance_id = $id", ("$id", id));
            _writer.Execute(t, "DELETE FROM orchestration_queue WHERE instance_id = $id AND execution_id = $exec", ("$id", id), ("$exec", before.ExecutionId));
        }

        if (after.IsTerminal)
        {
            // Nothing left for this instance can matter: stale timers, events, in-flight activities.
            _writer.Execute(t, "DELETE FROM activity_queue WHERE instance_id = $id", ("$id", id));
            _writer.Execute(t, "DELETE FROM orchestration_queue WHERE instance_id = $id", ("$id", id));
        }

        // Where each new activity's TaskScheduled event lands: its work item refers to it for the input.
        var scheduledAt = turn.NewActivities.Count > 0 ? new Dictionary<int, int>() : null;
        if (turn.AppendedHistory.Count > 0)
        {
            var insert = Prepared("INSERT INTO history (instance_id, seq, event) VALUES ($id, $seq, $event)", t).Bind("$id", id);
            var seq = turn.ResetHistory ? 0 : before.HistoryCount;
            foreach (var e in turn.AppendedHistory)
            {
                if (scheduledAt is not null && e.EventType == HistoryEventType.TaskScheduled)
                {
                    scheduledAt[e.EventId] = seq;
                }

                insert.Bind("$seq", seq++).Bind("$event", EventSerializer.Write(_payloads.Externalize(_writer, t, e))).ExecuteNonQuery();
            }
        }

        var updated = Prepared(
            """
            UPDATE instances SET execution_id = $exec, status = $status, input = $input, output = $output, custom_status = $custom,
                failure = $failure, updated_at = $updated, completed_at = $completed, history_count = $count
            WHERE instance_id = $id AND execution_id = $beforeExec AND history_count = $beforeCount
            """,
            t)
            .Bind("$id", id).Bind("$exec", after.ExecutionId).Bind("$status", (int)after.Status).Bind("$input", after.Input).Bind("$output", after.Output)
            .Bind("$custom", after.CustomStatus).Bind("$failure", EventSerializer.Write(after.Failure)).Bind("$updated", Ticks(after.UpdatedAt))
            .Bind("$completed", after.CompletedAt is { } c ? Ticks(c) : null).Bind("$count", after.HistoryCount)
            .Bind("$beforeExec", before.ExecutionId).Bind("$beforeCount", before.HistoryCount)
            .ExecuteNonQuery();
        if (updated != 1)
        {
            // Guards the one-writer-per-instance rule: a turn computed from a stale view must not land.
            throw new InvalidOperationException($"Instance '{id}' changed while a turn was processed; the turn is discarded and will be retried.");
        }

        foreach (var child in turn.NewChildren)
        {
            InsertInstance(_writer, t, child.Child, orIgnore: true, out var inserted);
            if (inserted)
            {
                InsertMessage(t, new OutgoingMessage(child.Child.InstanceId, child.Child.ExecutionId, child.Child.CreatedAt, child.Started));
                messages.Add((child.Child.InstanceId, child.Child.CreatedAt));
            }
            else
            {
                var existing = FindInstance(_writer, t, child.Child.InstanceId)!;
                var failed = new HistoryEvent(HistoryEventType.SubOrchestrationInstanceFailed, after.UpdatedAt)
                {
                    TaskScheduledId = child.Child.ParentTaskId,
                    Failure = new TaskFailureDetails(
                        typeof(OrchestrationAlreadyExistsException).FullName!,
                        new OrchestrationAlreadyExistsException(existing.InstanceId, existing.Status).Message),
                };
                InsertMessage(t, new OutgoingMessage(id, after.ExecutionId, after.UpdatedAt, failed));
                messages.Add((id, after.UpdatedAt));
            }
        }

        if (!after.IsTerminal && turn.NewActivities.Count > 0)
        {
            var insert = Prepared("INSERT INTO activity_queue (instance_id, execution_id, task_id, name, history_seq) VALUES ($id, $exec, $task, $name, $seq)", t)
                .Bind("$id", id).Bind("$exec", after.ExecutionId);
            foreach (var (taskId, name, input, shared) in turn.NewActivities)
            {
                insert.Bind("$task", taskId).Bind("$name", name).Bind("$seq", scheduledAt![taskId]).ExecuteNonQuery();
                activities.Add(new ActivityWorkItem(id, after.ExecutionId, taskId, name, input) { Shared = shared });
            }
        }

        foreach (var message in turn.NewMessages)
        {
            if (after.IsTerminal && message.InstanceId == id)
            {
                continue;
            }

            if (message.Event.EventType == HistoryEventType.EventRaised && message.InstanceId != id
                && !InstanceExists(t, message.InstanceId))
            {
                // An event sent to an instance that does not exist is dropped, as on Durable Task.
                continue;
            }

            InsertMessage(t, message);
            messages.Add((message.InstanceId, message.VisibleAt));
        }

        var terminated = new List<string>();
        if (turn.TerminateChildrenReason is { } reason)
        {
            foreach (var child in RunningChildren(t, id))
            {
                InsertMessage(t, new OutgoingMessage(child, null, after.UpdatedAt, new HistoryEvent(HistoryEventType.ExecutionTerminated, after.UpdatedAt) { Payload = reason, Name = "recursive" }));
                messages.Add((child, after.UpdatedAt));
                terminated.Add(child);
            }
        }

        return new CommitEffects(activities, messages) { Terminated = terminated };
    }

    private bool InstanceExists(SqliteTransaction t, string instanceId)
    {
        using var command = _writer.Command("SELECT 1 FROM instances WHERE instance_id = $id", t).With("$id", instanceId);
        return command.ExecuteScalar() is not null;
    }

    private List<string> RunningChildren(SqliteTransaction t, string parentId)
    {
        using var command = _writer.Command("SELECT instance_id FROM instances WHERE parent_instance_id = $id AND status IN ($running, $pending, $suspended)", t)
            .With("$id", parentId).With("$running", (int)OrchestrationRuntimeStatus.Running)
            .With("$pending", (int)OrchestrationRuntimeStatus.Pending).With("$suspended", (int)OrchestrationRuntimeStatus.Suspended);
        using var reader = command.ExecuteReader();
        var children = new List<string>();
        while (reader.Read())
        {
            children.Add(reader.GetString(0));
        }

        return children;
    }

    /// <summary>
    /// Commits activity results: each removes its work item and enqueues its completion message,
    /// in one transaction. A result whose work item is gone (instance terminated, purged or
    /// continued as new) is discarded. Returns the instances that got a message.
    /// </summary>
    public Task<IReadOnlyList<string>> CompleteActivitiesAsync(IReadOnlyList<ActivityResult> results, DateTime now, CancellationToken cancellation) =>
        WriteAsync<IReadOnlyList<string>>("commit activity results", t =>
        {
            var notified = new List<string>();
            foreach (var result in results)
            {
                if (DeleteWorkItem(t, result.WorkItem))
                {
                    InsertMessage(t, new OutgoingMessage(result.WorkItem.InstanceId, result.WorkItem.ExecutionId, now, result.Event));
                    notified.Add(result.WorkItem.InstanceId);
                }
            }

            return notified;
        }, cancellation);

    /// <summary>Removes a work item, if it is still there.</summary>
    private bool DeleteWorkItem(SqliteTransaction t, ActivityWorkItem item) =>
        Prepared("DELETE FROM activity_queue WHERE instance_id = $instance AND execution_id = $exec AND task_id = $task", t)
            .Bind("$instance", item.InstanceId).Bind("$exec", item.ExecutionId).Bind("$task", item.TaskId)
            .ExecuteNonQuery() == 1;
}
