using System.Text.Json;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Workflows.Activities;

/// <summary>
/// Splits an orchestration's pending records and log lines into batches whose JSON stays under a
/// byte budget, so no activity input or chunk output grows with the size of a workflow: Azure
/// Storage queue messages hold 64 KB, and a larger message costs a Blob round trip per call.
/// Sizes are estimated from the fields, never below what the JSON rules of either host
/// (<c>JsonSerializerDefaults.Web</c>, which escapes <c>+</c> and non-ASCII text) write.
/// </summary>
public static class WriteBatches
{
    /// <summary>The budget of one batch: with the rest of an activity's input, under 16 KB.</summary>
    public const int MaxBytes = 12 * 1024;

    /// <summary>
    /// The batches, in order. Lines of one log stay together in one batch (batches may be written
    /// concurrently, and a log's lines must keep their order); a single record or log larger than
    /// the budget is a batch of its own.
    /// </summary>
    public static IReadOnlyList<PendingWrites> Split(IReadOnlyList<RecordUpdate> records, IReadOnlyList<WriteLogInput> logs, int maxBytes = MaxBytes)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(logs);
        var batches = new List<PendingWrites>();
        var batchRecords = new List<RecordUpdate>();
        var batchLogs = new List<WriteLogInput>();
        var size = 0;

        void Add(int itemSize)
        {
            if (size > 0 && size + itemSize > maxBytes)
            {
                batches.Add(new PendingWrites(batchRecords, batchLogs));
                batchRecords = [];
                batchLogs = [];
                size = 0;
            }

            size += itemSize;
        }

        foreach (var record in records)
        {
            Add(EstimatedSize(record));
            batchRecords.Add(record);
        }

        // A batch's lines name their attempt once per run of lines that share it (LogLinesJsonConverter).
        TaskLogKey? attempt = null;
        foreach (var log in logs.GroupBy(line => line.Log))
        {
            var lines = log.ToList();
            var linesSize = lines.Sum(EstimatedSize);
            var joinsGroup = size > 0 && attempt is not null && LogLinesJsonConverter.SameAttempt(attempt, log.Key) && size + linesSize <= maxBytes;
            Add(joinsGroup ? linesSize : linesSize + EstimatedAttemptSize(log.Key));
            attempt = log.Key;
            batchLogs.AddRange(lines);
        }

        if (size > 0)
        {
            batches.Add(new PendingWrites(batchRecords, batchLogs));
        }

        return batches;
    }

    /// <summary>An upper bound of the record's JSON: names and fixed-size values, plus its text as escaped at worst.</summary>
    public static int EstimatedSize(RecordUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var record = update.Record;
        return 320 + Text(record.AttemptId) + Text(record.TaskName) + Text(record.Error) + Text(record.LogReference)
            + Json(record.StoreParams) + Json(record.ExportParams);
    }

    /// <summary>An upper bound of the log line's JSON in a batch: its task, try and text (its attempt is named by its group).</summary>
    public static int EstimatedSize(WriteLogInput line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return 48 + Text(line.Log.TaskName) + Text(line.Text);
    }

    /// <summary>An upper bound of the JSON that opens and closes a group of lines of one attempt, without its lines.</summary>
    public static int EstimatedAttemptSize(TaskLogKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return 64 + Text(key.Project) + Text(key.Workflow) + Text(key.SessionTime) + Text(key.Attempt);
    }

    /// <summary>A string value: its quotes, and six characters (<c>\uXXXX</c>) for each one an encoder may escape.</summary>
    private static int Text(string? text)
    {
        if (text is null)
        {
            return 4;
        }

        var size = 2;
        foreach (var c in text)
        {
            size += IsPlain(c) ? 1 : 6;
        }

        return size;
    }

    /// <summary>A JSON value written again: its structure is kept, its strings' characters may be escaped.</summary>
    private static int Json(JsonElement? value)
    {
        if (value is not { } element)
        {
            return 4;
        }

        var size = 0;
        foreach (var c in element.GetRawText())
        {
            size += IsPlain(c) || c is '"' or '{' or '}' or '[' or ']' or ',' ? 1 : 6;
        }

        return size;
    }

    private static bool IsPlain(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or ' ' or '_' or '-' or '.' or ':' or '/';
}
