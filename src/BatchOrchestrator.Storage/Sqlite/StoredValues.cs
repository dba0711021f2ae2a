using System.Globalization;
using System.Text.Json;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>How record values are written to columns and read back.</summary>
internal static class StoredValues
{
    private const string SessionTimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public static object Time(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    public static object Time(DateTimeOffset? time) => time is { } value ? Time(value) : DBNull.Value;

    public static DateTimeOffset ReadTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>Session times are unique in UTC; the offset is kept only to show the time as it was given.</summary>
    public static DateTimeOffset ReadSessionTime(string utcText, long offsetMinutes) =>
        DateTimeOffset.ParseExact(utcText, SessionTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            .ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    /// <summary>
    /// A JSON value as compact text: an element can reach the store as an operator wrote it (an
    /// embedded runtime hands an activity its input in process) or read back from a serialized
    /// input, and its record must read back the same either way, as the Blob store's does.
    /// </summary>
    public static object Json(JsonElement? element) =>
        element is { ValueKind: not JsonValueKind.Undefined } value ? JsonValues.CompactText(value) : DBNull.Value;

    public static JsonElement? ReadJson(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static object Text(string? text) => text is null ? DBNull.Value : text;

    public static string Name(TaskState state) => state switch
    {
        TaskState.Blocked => "blocked",
        TaskState.Ready => "ready",
        TaskState.RetryWaiting => "retry_waiting",
        TaskState.GroupRetryWaiting => "group_retry_waiting",
        TaskState.Running => "running",
        TaskState.Planned => "planned",
        TaskState.GroupError => "group_error",
        TaskState.Success => "success",
        TaskState.Error => "error",
        TaskState.Canceled => "canceled",
        TaskState.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown task state."),
    };

    public static TaskState ReadTaskState(string name) => name switch
    {
        "blocked" => TaskState.Blocked,
        "ready" => TaskState.Ready,
        "retry_waiting" => TaskState.RetryWaiting,
        "group_retry_waiting" => TaskState.GroupRetryWaiting,
        "running" => TaskState.Running,
        "planned" => TaskState.Planned,
        "group_error" => TaskState.GroupError,
        "success" => TaskState.Success,
        "error" => TaskState.Error,
        "canceled" => TaskState.Canceled,
        "skipped" => TaskState.Skipped,
        _ => throw new InvalidDataException($"Unknown task state '{name}' in the run store."),
    };

    public static string Name(AttemptStatus status) => status switch
    {
        AttemptStatus.Running => "running",
        AttemptStatus.Success => "success",
        AttemptStatus.Error => "error",
        AttemptStatus.Killed => "killed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown attempt status."),
    };

    public static AttemptStatus ReadAttemptStatus(string name) => name switch
    {
        "running" => AttemptStatus.Running,
        "success" => AttemptStatus.Success,
        "error" => AttemptStatus.Error,
        "killed" => AttemptStatus.Killed,
        _ => throw new InvalidDataException($"Unknown attempt status '{name}' in the run store."),
    };
}
