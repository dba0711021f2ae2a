using System.Text.Json;
using System.Text.Json.Serialization;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// Compile-time JSON metadata for what crosses the orchestration boundary on every task (activity
/// inputs and results, chunk inputs and outcomes). Without it, System.Text.Json builds each type's
/// metadata by reflection and emits accessors that the JIT compiles in every process: at the start
/// of a short <c>bo run</c> that was several hundred methods, and every (de)serialization was slower.
/// <see cref="JsonDataConverter.Default"/> uses it first and falls back to reflection for other types.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AttemptInput))]
[JsonSerializable(typeof(AttemptOutcome))]
[JsonSerializable(typeof(AttemptCustomStatus))]
[JsonSerializable(typeof(ChunkInput))]
[JsonSerializable(typeof(TaskOutcome))]
[JsonSerializable(typeof(PlanReference))]
[JsonSerializable(typeof(WorkflowSource))]
[JsonSerializable(typeof(RunOperatorInput))]
[JsonSerializable(typeof(TaskResult))]
[JsonSerializable(typeof(LaunchCommandInput))]
[JsonSerializable(typeof(CommandStateInput))]
[JsonSerializable(typeof(CommandStatus))]
[JsonSerializable(typeof(RecordTasksInput))]
[JsonSerializable(typeof(LoadResumeStateInput))]
[JsonSerializable(typeof(ResumeState))]
[JsonSerializable(typeof(FinishAttemptInput))]
[JsonSerializable(typeof(RequireSessionInput))]
[JsonSerializable(typeof(AttemptStatusInput))]
[JsonSerializable(typeof(AttemptStatus))]
[JsonSerializable(typeof(Operators.Builtin.Notify.Notification))]
// Results read without a type (CallActivityAsync<object?>): a JsonElement, as reflection gave.
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
