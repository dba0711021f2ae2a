using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Workflows.Activities;

/// <summary>Input of <see cref="ActivityNames.RunOperator"/>: one try of a work operator.</summary>
public sealed record RunOperatorInput(TaskRequest Request) : CarriesWrites
{
    /// <summary>When the orchestrator scheduled the try's first run (orchestration time): its wait in the queue is measured from it.</summary>
    public DateTime? ReadyAt { get; init; }
}

/// <summary>
/// Input of <see cref="ActivityNames.LaunchCommand"/>. Shared in process: the orchestrator builds a
/// fresh one for each launch (a resend with the shared variables is a copy made with <c>with</c>) and
/// keeps nothing of it it could change; the activity makes what it runs with <c>with</c> copies
/// (shared variables restored, bundled files expanded, secrets resolved) and reads the collections
/// it holds, never writing to them, nor do the executors.
/// </summary>
public sealed record LaunchCommandInput(string Executor, CommandRequest Command) : CarriesWrites, Orchestration.ISharedActivityInput
{
    /// <summary>When the orchestrator scheduled the launch (orchestration time): its wait in the queue is measured from it.</summary>
    public DateTime? ReadyAt { get; init; }

    /// <summary>Which launch of the try this is (see <see cref="StartedTry.Launch"/>): the same on every delivery of this call.</summary>
    public string? Launch { get; init; }

    /// <summary>
    /// The command's environment variables that are the same for many tasks (the built-in variables
    /// of the attempt), apart from <see cref="CommandRequest.Environment"/>: in full on the first
    /// launch that uses them, by key only after that.
    /// </summary>
    public SharedEnvironment? Shared { get; init; }
}

/// <summary>
/// Environment variables shared by the commands of an attempt, named by a key derived from their
/// names and values (so one key never stands for two different sets). <see cref="Variables"/> is
/// null when the launch counts on the activity's host knowing them from an earlier launch; a host
/// that does not answers <see cref="CommandStatus.SharedEnvironmentUnknown"/> and the orchestrator
/// sends them again in full.
/// </summary>
public sealed record SharedEnvironment(string Key, IReadOnlyDictionary<string, string>? Variables = null);

/// <summary>Input of <see cref="ActivityNames.PollCommand"/> and <see cref="ActivityNames.FinishCommand"/>.</summary>
/// <param name="State">The executor's state of the command.</param>
/// <param name="Log">The try's log, whose held-back output <see cref="ActivityNames.FinishCommand"/> writes.</param>
/// <param name="SecretKeys">
/// The names (never the values) of the secrets the command was launched with: the activities
/// mask them in what they return, reading them again when this host did not launch the command.
/// </param>
public sealed record CommandStateInput(CommandState State, TaskLogKey? Log = null, IReadOnlyList<string>? SecretKeys = null) : CarriesWrites;

/// <summary>
/// Input of <see cref="ActivityNames.RecordTasks"/>: task records to upsert. Batches may run out
/// of order (they are not awaited one by one); each update's <see cref="RecordUpdate.Sequence"/>
/// lets the store keep the newest. Shared in process: the recorder builds a fresh one for each
/// call (<see cref="TaskRecorder.Take"/>) and the activity only reads it.
/// </summary>
public sealed record RecordTasksInput : CarriesWrites, Orchestration.ISharedActivityInput;

/// <summary>One task record and its place in the order of updates (monotonic per attempt).</summary>
public sealed record RecordUpdate(TaskRecord Record, long Sequence);

/// <summary>Text for a task's log written by the orchestrator (echo&gt;), carried in <see cref="PendingWrites"/>.</summary>
public sealed record WriteLogInput(TaskLogKey Log, string Text);

/// <summary>The tasks of an earlier attempt that a resumed attempt reuses.</summary>
public sealed record ResumeState(IReadOnlyList<TaskRecord> SucceededTasks);

/// <summary>Input of <see cref="ActivityNames.FinishAttempt"/>: the attempt's final status, recorded once.</summary>
/// <param name="AttemptId">The attempt.</param>
/// <param name="Status">Its final status.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Fault">
/// When the workflow engine itself failed: the error, recorded on the named task (the workflow's
/// root); the tasks left unfinished are recorded as canceled, since nothing else will record them.
/// </param>
public sealed record FinishAttemptInput(string AttemptId, AttemptStatus Status, DateTimeOffset FinishedAt, Workflows.TaskError? Fault = null);

/// <summary>Input of <see cref="ActivityNames.RequireSession"/>.</summary>
public sealed record RequireSessionInput(Sessions.SessionStartRequest Request);

/// <summary>Input of <see cref="ActivityNames.GetAttemptStatus"/>.</summary>
public sealed record AttemptStatusInput(string AttemptId);

/// <summary>
/// Records and log lines the orchestrator produced since its last activity call. They ride on
/// the next activity (which writes them first), so recording costs no activity of its own;
/// <see cref="ActivityNames.RecordTasks"/> carries them alone only when no other call comes.
/// </summary>
public sealed record PendingWrites(
    IReadOnlyList<RecordUpdate> Records,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(LogLinesJsonConverter))] IReadOnlyList<WriteLogInput> Logs)
{
    public static PendingWrites None { get; } = new([], []);

    [System.Text.Json.Serialization.JsonIgnore] // derived: written, it was read back by nothing
    public bool IsEmpty => Records.Count == 0 && Logs.Count == 0;
}

/// <summary>An activity input that can carry <see cref="PendingWrites"/>.</summary>
public abstract record CarriesWrites
{
    public PendingWrites? Writes { get; init; }
}
