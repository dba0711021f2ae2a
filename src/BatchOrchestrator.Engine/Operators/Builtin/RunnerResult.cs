using System.Text.Json;
using BatchOrchestrator.Engine.Executors;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// What the bundled runners of <c>py&gt;</c> and <c>rb&gt;</c> write to <c>$BO_OUTPUT</c>:
/// <c>{"store", "export", "reset_store", "subtasks"}</c> when the task's code returned, or
/// <c>{"error": {"type", "message", "traceback"}}</c> when it raised. An exception fails the task
/// with its type and message, as the language's user reads them; the traceback goes beside it.
/// </summary>
internal static class RunnerResult
{
    /// <param name="operatorName">The operator, for messages (<c>py</c>).</param>
    /// <param name="interpreter">The interpreter, for messages (<c>python</c>).</param>
    /// <param name="finished">The finished command.</param>
    public static TaskResult Read(string operatorName, string interpreter, CommandStatus finished)
    {
        ArgumentNullException.ThrowIfNull(finished);
        var result = ParseOutput(finished.OutputText);
        if (result is { } output && output.TryGetProperty("error", out var error))
        {
            throw Failure(error);
        }

        if (finished.Phase != CommandPhase.Succeeded)
        {
            throw new TaskFailure(finished.FailureMessage ?? $"{interpreter} failed with exit code {finished.ExitCode}.");
        }

        if (result is not { } values)
        {
            throw new TaskFailure($"{operatorName}>: the {interpreter} runner finished without writing its result.");
        }

        return new TaskResult
        {
            StoreParams = ObjectOrUndefined(values, "store"),
            ExportParams = ObjectOrUndefined(values, "export"),
            ResetStoreParams = values.TryGetProperty("reset_store", out var reset) && reset.ValueKind == JsonValueKind.Array
                ? [.. reset.EnumerateArray().Select(k => k.GetString() ?? "")]
                : [],
            Subtasks = ObjectOrUndefined(values, "subtasks") is { ValueKind: JsonValueKind.Object } subtasks ? subtasks : null,
        };
    }

    private static JsonElement? ParseOutput(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static TaskFailure Failure(JsonElement error)
    {
        string Text(string name) =>
            error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

        var message = Text("message");
        var traceback = Text("traceback");
        return new TaskFailure(message.Length == 0 ? Text("type") : $"{Text("type")}: {message}")
        {
            Traceback = traceback.Length == 0 ? null : traceback,
        };
    }

    private static JsonElement? ObjectOrUndefined(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any()
            ? value
            : null;
}
