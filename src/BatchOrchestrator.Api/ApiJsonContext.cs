using System.Text.Json.Serialization;
using BatchOrchestrator.Api.Schedules;
using BatchOrchestrator.Engine.Scheduling;

namespace BatchOrchestrator.Api;

/// <summary>
/// Compile-time JSON metadata for every body the API reads and every answer it writes (and the
/// CLI reads back): under Native AOT there is no reflection to describe them. The options
/// (<see cref="ApiServices.Configure"/>) decide the wire format, as before.
/// </summary>
[JsonSerializable(typeof(ProjectView))]
[JsonSerializable(typeof(List<ProjectView>))]
[JsonSerializable(typeof(List<RevisionView>))]
[JsonSerializable(typeof(List<WorkflowView>))]
[JsonSerializable(typeof(WorkflowDetailView))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(PageView<SessionView>))]
[JsonSerializable(typeof(AttemptView))]
[JsonSerializable(typeof(List<AttemptView>))]
[JsonSerializable(typeof(PageView<AttemptView>))]
[JsonSerializable(typeof(ExistingAttemptView))]
[JsonSerializable(typeof(List<TaskView>))]
[JsonSerializable(typeof(List<LogFileView>))]
[JsonSerializable(typeof(List<ProjectFileView>))]
[JsonSerializable(typeof(StartAttemptBody))]
[JsonSerializable(typeof(RetryBody))]
[JsonSerializable(typeof(SecretBody))]
[JsonSerializable(typeof(SkipBody))]
[JsonSerializable(typeof(BackfillBody))]
[JsonSerializable(typeof(BackfillDryRun))]
[JsonSerializable(typeof(BackfillView))]
[JsonSerializable(typeof(BackfillConflict))]
[JsonSerializable(typeof(ScheduleView))]
[JsonSerializable(typeof(IReadOnlyList<ScheduleView>))]
[JsonSerializable(typeof(List<ScheduleView>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(List<string>))]
// Raw bodies (a project archive, a file) in the OpenAPI document, whose schemas come from this context too.
[JsonSerializable(typeof(byte[]))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
