using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BatchOrchestrator.Engine.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// The <see cref="CommandState.Data"/> of a container group: which try it is (the group name
/// follows from it), its log, when it was launched and must end, how much of its output is
/// already in the task log, and the <c>$BO_OUTPUT</c> it reported. Small: it lives in history.
/// </summary>
public sealed record AciCommandData(
    AciTryKey Key,
    TaskLogKey Log,
    DateTimeOffset LaunchedAt,
    DateTimeOffset? Deadline,
    AciLogPosition LogPosition,
    string? Output)
{
    /// <summary>The executor name these states belong to.</summary>
    public const string Executor = "aci";

    // Compile-time metadata (ExecutorJsonContext): written and read once per command, and under Native AOT there is no reflection.
    private static readonly JsonTypeInfo<AciCommandData> Json = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = ExecutorJsonContext.Default }.TypeInfo<AciCommandData>();

    public string GroupName => Key.GroupName;

    /// <summary>The try's <c>container.secrets</c> (<see cref="AciSecretReference.Text"/>): names, so a host that did not launch it can read the values again to mask them.</summary>
    public IReadOnlyList<string> SecretReferences { get; init; } = [];

    public CommandState ToState() => new(Executor, JsonSerializer.SerializeToElement(this, Json));

    /// <exception cref="TaskFailure">The state is not a container group's (not retryable).</exception>
    public static AciCommandData From(CommandState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Executor != Executor)
        {
            throw new TaskFailure($"The command state belongs to executor '{state.Executor}', not '{Executor}'.", retryable: false);
        }

        try
        {
            return state.Data.Deserialize(Json)
                ?? throw new TaskFailure("The ACI command state is empty.", retryable: false);
        }
        catch (JsonException e)
        {
            throw new TaskFailure($"The ACI command state cannot be read: {e.Message}", retryable: false);
        }
    }
}
