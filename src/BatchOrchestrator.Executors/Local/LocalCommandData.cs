using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BatchOrchestrator.Engine.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Executors.Local;

/// <summary>
/// The <see cref="CommandState.Data"/> of a local command: which try it is, which process ran it
/// (pid and start time, so a restarted host can recognise it), its folder and its log.
/// </summary>
public sealed record LocalCommandData(LocalTryKey Key, int Pid, long StartTicks, string TaskDirectory, TaskLogKey Log)
{
    /// <summary>The executor name these states belong to.</summary>
    public const string Executor = "local";

    // Compile-time metadata (ExecutorJsonContext): written and read once per command, and under Native AOT there is no reflection.
    private static readonly JsonTypeInfo<LocalCommandData> Json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = ExecutorJsonContext.Default }.TypeInfo<LocalCommandData>();

    public CommandState ToState() => new(Executor, JsonSerializer.SerializeToElement(this, Json));

    /// <exception cref="TaskFailure">The state is not a local command's (not retryable).</exception>
    public static LocalCommandData From(CommandState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Executor != Executor)
        {
            throw new TaskFailure($"The command state belongs to executor '{state.Executor}', not '{Executor}'.", retryable: false);
        }

        try
        {
            return state.Data.Deserialize(Json)
                ?? throw new TaskFailure("The local command state is empty.", retryable: false);
        }
        catch (JsonException e)
        {
            throw new TaskFailure($"The local command state cannot be read: {e.Message}", retryable: false);
        }
    }
}
