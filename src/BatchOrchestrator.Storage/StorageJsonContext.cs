using System.Text.Json;
using System.Text.Json.Serialization;
using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Blob.Operators;
using BatchOrchestrator.Storage.Blob.Projects;

namespace BatchOrchestrator.Storage;

/// <summary>
/// Compile-time JSON metadata for the documents the stores keep (blobs, started tries) and the
/// blob operator's poll state: under Native AOT there is no reflection to describe them. The
/// options each store passes decide the wire format, as before; enums are written by name (the
/// context's converter per enum: the catch-all one needs code made at run time).
/// </summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(StartedTry))]
[JsonSerializable(typeof(ScheduleState))]
[JsonSerializable(typeof(BackfillState))]
[JsonSerializable(typeof(List<TaskRecord>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(BlobRunStore.SessionDocument))]
[JsonSerializable(typeof(BlobProjectRepository.ProjectHistory))]
[JsonSerializable(typeof(BlobProjectRevisionStore.StoredRevision))]
[JsonSerializable(typeof(BlobWaitOperator.WaitState))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
