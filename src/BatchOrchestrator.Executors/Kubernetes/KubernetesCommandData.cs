using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BatchOrchestrator.Engine.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Kubernetes.Logs;

namespace BatchOrchestrator.Executors.Kubernetes;

/// <summary>
/// The <see cref="CommandState.Data"/> of a Job: where it is, how far its log has been copied,
/// and since when its pod has been waiting (so a stuck pod fails after the same time whichever
/// process polls). Small: it is stored in orchestration history at every poll.
/// </summary>
public sealed record KubernetesCommandData(string Namespace, string JobName, TaskLogKey Log, string OutputToken)
{
    public const string Executor = "kubernetes";

    // Compile-time metadata (ExecutorJsonContext): written and read once per command, and under Native AOT there is no reflection.
    private static readonly JsonTypeInfo<KubernetesCommandData> Json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = ExecutorJsonContext.Default }.TypeInfo<KubernetesCommandData>();

    public LogCursor Cursor { get; init; } = new();

    /// <summary>Whether the whole log of the Job's terminated container is copied (collecting again would read nothing new).</summary>
    public bool LogComplete { get; init; }

    /// <summary>Whether the try has a Secret (of the Job's name) to delete with the Job.</summary>
    public bool HasSecret { get; init; }

    public DateTimeOffset? PendingSince { get; init; }

    public DateTimeOffset? StuckSince { get; init; }

    public CommandState ToState() => new(Executor, JsonSerializer.SerializeToElement(this, Json));

    /// <exception cref="TaskFailure">The state is not a Kubernetes command's (not retryable).</exception>
    public static KubernetesCommandData From(CommandState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Executor != Executor)
        {
            throw new TaskFailure($"The command state belongs to executor '{state.Executor}', not '{Executor}'.", retryable: false);
        }

        try
        {
            return state.Data.Deserialize(Json)
                ?? throw new TaskFailure("The Kubernetes command state is empty.", retryable: false);
        }
        catch (JsonException e)
        {
            throw new TaskFailure($"The Kubernetes command state cannot be read: {e.Message}", retryable: false);
        }
    }
}
