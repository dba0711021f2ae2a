using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BatchOrchestrator.Engine.Json;
using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>The JSON form of history events and failures in the database.</summary>
internal static class EventSerializer
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,

        // Rows of a database, never HTML: a payload (JSON itself) keeps its quotes as \" instead
        // of \u0022, which makes the event for an activity with a large input about a third smaller.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // Compile-time metadata: every turn writes and reads events; reflection metadata would be
        // built (and its accessors JIT-compiled) in every process.
        TypeInfoResolver = RuntimeJsonContext.Default,
    };

    private static readonly JsonTypeInfo<HistoryEvent> EventJson = Options.TypeInfo<HistoryEvent>();
    private static readonly JsonTypeInfo<TaskFailureDetails> FailureJson = Options.TypeInfo<TaskFailureDetails>();

    public static string Write(HistoryEvent e) => JsonSerializer.Serialize(e, EventJson);

    public static HistoryEvent Read(string json) =>
        JsonSerializer.Deserialize(json, EventJson) ?? throw new InvalidDataException("A null history event in the database.");

    public static string? Write(TaskFailureDetails? failure) => failure is null ? null : JsonSerializer.Serialize(failure, FailureJson);

    public static TaskFailureDetails? ReadFailure(string? json) => json is null ? null : JsonSerializer.Deserialize(json, FailureJson);
}

// Enums by name (the context's converter per enum: the catch-all one needs code made at run time).
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(HistoryEvent))]
[JsonSerializable(typeof(TaskFailureDetails))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
