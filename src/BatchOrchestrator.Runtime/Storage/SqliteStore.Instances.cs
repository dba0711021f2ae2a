using System.Globalization;
using System.Text;
using BatchOrchestrator.Engine.Orchestration;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>The store's side for clients: creating instances, sending them messages, queries and purges.</summary>
internal sealed partial class SqliteStore
{
    /// <summary>Creates an instance with its ExecutionStarted message, or throws if the id exists.</summary>
    public Task CreateInstanceAsync(InstanceRecord instance, HistoryEvent started, DateTime visibleAt, CancellationToken cancellation) =>
        WriteAsync("schedule an orchestration", t =>
        {
            if (FindInstance(_writer, t, instance.InstanceId) is { } existing)
            {
                throw new OrchestrationAlreadyExistsException(existing.InstanceId, existing.Status);
            }

            InsertInstance(_writer, t, instance, orIgnore: false, out _);
            InsertMessage(t, new OutgoingMessage(instance.InstanceId, instance.ExecutionId, visibleAt, started));
            return 0;
        }, cancellation);

    /// <summary>Enqueues a message to an existing instance; returns false when there is none.</summary>
    public Task<bool> EnqueueAsync(OutgoingMessage message, CancellationToken cancellation) =>
        WriteAsync("send a message to an orchestration", t =>
        {
            if (!InstanceExists(t, message.InstanceId))
            {
                return false;
            }

            InsertMessage(t, message);
            return true;
        }, cancellation);

    public Task<OrchestrationQueryPage> QueryAsync(OrchestrationQuery query, DataConverter converter, CancellationToken cancellation) =>
        ReadAsync("query instances", c =>
        {
            var pageSize = Math.Clamp(query.PageSize, 1, 10_000);
            using var command = c.Command("");
            var sql = new StringBuilder($"SELECT {InstanceColumns} FROM instances WHERE 1 = 1");
            AddFilter(command, sql, query.CreatedFrom, query.CreatedTo, query.Statuses);
            if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
            {
                // substr comparison: exact, case-sensitive, and immune to LIKE wildcards in ids.
                sql.Append(" AND substr(instance_id, 1, $prefixLength) = $prefix");
                command.With("$prefixLength", query.InstanceIdPrefix.Length).With("$prefix", query.InstanceIdPrefix);
            }

            if (query.ContinuationToken is { } after)
            {
                sql.Append(" AND instance_id > $after");
                command.With("$after", after);
            }

            sql.Append(" ORDER BY instance_id LIMIT $limit");
            command.With("$limit", pageSize + 1);
            command.CommandText = sql.ToString();
            using var reader = command.ExecuteReader();
            var found = new List<OrchestrationMetadata>();
            while (reader.Read())
            {
                found.Add(ToMetadata(ReadInstance(reader), query.FetchInputsAndOutputs, converter));
            }

            var more = found.Count > pageSize;
            if (more)
            {
                found.RemoveAt(found.Count - 1);
            }

            return new OrchestrationQueryPage(found, more ? found[^1].InstanceId : null);
        }, cancellation);

    private static void AddFilter(SqliteCommand command, StringBuilder sql, DateTimeOffset? from, DateTimeOffset? to, IReadOnlyList<OrchestrationRuntimeStatus>? statuses)
    {
        if (from is { } f)
        {
            sql.Append(" AND created_at >= $from");
            command.With("$from", f.UtcTicks);
        }

        if (to is { } until)
        {
            sql.Append(" AND created_at < $to");
            command.With("$to", until.UtcTicks);
        }

        if (statuses is { Count: > 0 })
        {
            sql.Append(" AND status IN (")
                .AppendJoin(", ", statuses.Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)))
                .Append(')');
        }
    }

    public static OrchestrationMetadata ToMetadata(InstanceRecord i, bool withData, DataConverter converter) =>
        new(i.Name, i.InstanceId)
        {
            RuntimeStatus = i.Status,
            CreatedAt = new DateTimeOffset(i.CreatedAt),
            LastUpdatedAt = new DateTimeOffset(i.UpdatedAt),
            SerializedInput = withData ? i.Input : null,
            SerializedOutput = withData ? i.Output : null,
            SerializedCustomStatus = withData ? i.CustomStatus : null,
            FailureDetails = i.Failure,
            ParentInstanceId = i.ParentInstanceId,
            DataConverter = converter,
        };

    /// <summary>Deletes a finished instance (and optionally its descendants) with everything it owns.</summary>
    public Task<int> PurgeAsync(string instanceId, bool recursive, CancellationToken cancellation) =>
        WriteAsync("purge an instance", t => WithoutOrphans(t, Purge(t, instanceId, recursive)), cancellation);

    public Task<int> PurgeAllAsync(PurgeInstancesFilter filter, CancellationToken cancellation) =>
        WriteAsync("purge instances", t =>
        {
            using var command = _writer.Command("", t);
            var sql = new StringBuilder("SELECT instance_id FROM instances WHERE status IN (1, 3, 5)");
            AddFilter(command, sql, filter.CreatedFrom, filter.CreatedTo, filter.Statuses);
            command.CommandText = sql.ToString();
            var ids = new List<string>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    ids.Add(reader.GetString(0));
                }
            }

            return WithoutOrphans(t, ids.Sum(id => Purge(t, id, recursive: false)));
        }, cancellation);

    /// <summary>After <paramref name="purged"/> instances went, the large results only they referred to go too.</summary>
    private int WithoutOrphans(SqliteTransaction t, int purged)
    {
        if (purged > 0)
        {
            _payloads.DeleteUnreferenced(_writer, t);
        }

        return purged;
    }

    private int Purge(SqliteTransaction t, string instanceId, bool recursive)
    {
        var instance = FindInstance(_writer, t, instanceId);
        if (instance is null || !instance.IsTerminal)
        {
            return 0;
        }

        var purged = 0;
        if (recursive)
        {
            var children = new List<string>();
            using (var command = _writer.Command("SELECT instance_id FROM instances WHERE parent_instance_id = $id", t).With("$id", instanceId))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    children.Add(reader.GetString(0));
                }
            }

            purged += children.Sum(child => Purge(t, child, recursive: true));
        }

        _writer.Execute(t, "DELETE FROM history WHERE instance_id = $id", ("$id", instanceId));
        _writer.Execute(t, "DELETE FROM orchestration_queue WHERE instance_id = $id", ("$id", instanceId));
        _writer.Execute(t, "DELETE FROM activity_queue WHERE instance_id = $id", ("$id", instanceId));
        _writer.Execute(t, "DELETE FROM instances WHERE instance_id = $id", ("$id", instanceId));
        return purged + 1;
    }
}
