using System.Globalization;
using System.Text.Json;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>One event ACI recorded for a group or a container (<c>Pulling</c>, <c>Failed</c>, <c>BackOff</c>, ...).</summary>
public sealed record AciEvent(string Name, string Type, string Message, int Count);

/// <summary>
/// What a GET of a container group says about its one container, read from the ARM shape:
/// <c>properties.provisioningState</c>, <c>properties.instanceView.state</c> and the container's
/// <c>properties.instanceView.currentState</c> (<c>state</c>, <c>exitCode</c>, <c>detailStatus</c>)
/// and <c>events</c>. Missing parts (a group still being created has no instance view) read as null.
/// </summary>
public sealed record AciGroupView(
    IReadOnlyDictionary<string, string> Tags,
    string? ProvisioningState,
    string? GroupState,
    string? ContainerState,
    int? ExitCode,
    string? DetailStatus,
    IReadOnlyList<AciEvent> Events)
{
    public bool IsTerminated => ContainerState == "Terminated";

    /// <summary>
    /// The image cannot be pulled: ACI says so in the container's waiting reason or in a
    /// <c>Failed</c> / <c>BackOff</c> event about the image.
    /// </summary>
    public bool HasImagePullError =>
        DetailStatus is { } detail && (detail.Contains("ImagePull", StringComparison.OrdinalIgnoreCase) || detail.Contains("InaccessibleImage", StringComparison.OrdinalIgnoreCase))
        || Events.Any(e => e.Name is "Failed" or "BackOff" && e.Message.Contains("image", StringComparison.OrdinalIgnoreCase));

    /// <summary>The events as lines for an error message, most recent last.</summary>
    public string DescribeEvents() =>
        Events.Count == 0
            ? "(no events)"
            : string.Join('\n', Events.Select(e => $"  {e.Type} {e.Name}{(e.Count > 1 ? $" (x{e.Count.ToString(CultureInfo.InvariantCulture)})" : "")}: {e.Message}"));

    /// <summary>Reads the properties of a container group as ARM returns them.</summary>
    public static AciGroupView Parse(IReadOnlyDictionary<string, string> tags, BinaryData? properties, string containerName)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (properties is null)
        {
            return new AciGroupView(tags, null, null, null, null, null, []);
        }

        using var document = JsonDocument.Parse(properties);
        var root = document.RootElement;
        var groupView = Child(root, "instanceView");
        var container = Child(root, "containers") is { ValueKind: JsonValueKind.Array } containers
            ? containers.EnumerateArray().FirstOrDefault(c => String(c, "name") == containerName)
            : default;
        var containerView = Child(Child(container, "properties"), "instanceView");
        var current = Child(containerView, "currentState");
        var exitCode = Child(current, "exitCode") is { ValueKind: JsonValueKind.Number } code ? code.GetInt32() : (int?)null;
        return new AciGroupView(
            tags,
            String(root, "provisioningState"),
            String(groupView, "state"),
            String(current, "state"),
            exitCode,
            String(current, "detailStatus"),
            [.. EventsOf(groupView), .. EventsOf(containerView)]);
    }

    private static IEnumerable<AciEvent> EventsOf(JsonElement owner) =>
        Child(owner, "events") is { ValueKind: JsonValueKind.Array } events
            ? events.EnumerateArray().Select(e => new AciEvent(
                String(e, "name") ?? "",
                String(e, "type") ?? "",
                String(e, "message") ?? "",
                Child(e, "count") is { ValueKind: JsonValueKind.Number } count ? count.GetInt32() : 1))
            : [];

    private static JsonElement Child(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) ? value : default;

    private static string? String(JsonElement owner, string name) =>
        Child(owner, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
