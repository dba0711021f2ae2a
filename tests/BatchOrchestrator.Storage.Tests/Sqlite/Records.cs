using System.Text.Json;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Storage.Tests.Sqlite;

/// <summary>Small builders of records for the tests.</summary>
internal static class Records
{
    public static readonly DateTimeOffset T0 = new(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);

    public static SessionKey Session(string project = "ads", string workflow = "daily", int day = 1) =>
        new(project, workflow, new DateTimeOffset(2024, 5, day, 0, 0, 0, TimeSpan.Zero));

    public static AttemptRecord Attempt(SessionKey session, string? retryName = null, AttemptStatus status = AttemptStatus.Running) => new()
    {
        AttemptId = session.AttemptInstanceId(retryName),
        Session = session,
        RetryAttemptName = retryName,
        Status = status,
        CreatedAt = T0,
        FinishedAt = status == AttemptStatus.Running ? null : T0.AddMinutes(1),
    };

    public static TaskRecord TaskRow(string attemptId, string name, TaskState state, int tries = 1) => new()
    {
        AttemptId = attemptId,
        TaskName = name,
        State = state,
        Tries = tries,
        StartedAt = T0,
        FinishedAt = state is TaskState.Success or TaskState.Error ? T0.AddSeconds(5) : null,
    };

    public static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
