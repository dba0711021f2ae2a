using System.Globalization;
using System.Text.Json;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Executors.Kubernetes.Jobs;

/// <summary>
/// The workflow's <c>container:</c> settings that shape a Job: what runs (image), where (namespace,
/// node selector, tolerations, service account), with how much (cpu, memory) and which Secrets
/// (<c>envFrom</c>). Keys meant for other executors (ACI's) are ignored; a wrong value of a key
/// read here is a config error that names the key and the expected form.
/// </summary>
public sealed record ContainerSettings
{
    public required string Image { get; init; }

    public string? Namespace { get; init; }

    /// <summary>CPU request, a Kubernetes quantity (<c>2</c>, <c>500m</c>).</summary>
    public string? Cpu { get; init; }

    /// <summary>Memory request and limit, a Kubernetes quantity (<c>4Gi</c>).</summary>
    public string? Memory { get; init; }

    public IReadOnlyList<string> Secrets { get; init; } = [];

    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>();

    /// <summary>Tolerations as written (Kubernetes field names: key, operator, value, effect, tolerationSeconds).</summary>
    public IReadOnlyList<JsonElement> Tolerations { get; init; } = [];

    public string? ServiceAccount { get; init; }

    /// <summary><c>Always</c>, <c>IfNotPresent</c> or <c>Never</c>; null leaves Kubernetes' default.</summary>
    public string? ImagePullPolicy { get; init; }

    /// <exception cref="TaskFailure">A missing image or a value of the wrong form (not retryable).</exception>
    public static ContainerSettings Read(JsonElement? container)
    {
        if (container is not { ValueKind: JsonValueKind.Object } c)
        {
            throw Invalid("the kubernetes executor needs container settings with an image, e.g. container: {executor: kubernetes, image: myacr.azurecr.io/etl:1.4}");
        }

        var image = Text(c, "image");
        if (string.IsNullOrWhiteSpace(image))
        {
            throw Invalid("container.image is required for executor kubernetes, e.g. image: myacr.azurecr.io/etl:1.4");
        }

        return new ContainerSettings
        {
            Image = image,
            Namespace = Text(c, "namespace"),
            Cpu = Quantity(c, "cpu"),
            Memory = Quantity(c, "memory"),
            Secrets = Strings(c, "secrets"),
            NodeSelector = Map(c, "node_selector"),
            Tolerations = Objects(c, "tolerations"),
            ServiceAccount = Text(c, "service_account"),
            ImagePullPolicy = Text(c, "image_pull_policy") is { } policy
                ? policy is "Always" or "IfNotPresent" or "Never" ? policy : throw Invalid($"container.image_pull_policy must be Always, IfNotPresent or Never, got '{policy}'")
                : null,
        };
    }

    private static string? Text(JsonElement c, string name) =>
        !c.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw Invalid($"container.{name} must be a string, got {value.GetRawText()}");

    private static string? Quantity(JsonElement c, string name) =>
        !c.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetDecimal().ToString(CultureInfo.InvariantCulture)
        : value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0 ? value.GetString()
        : throw Invalid($"container.{name} must be a Kubernetes quantity such as 2, 500m or 4Gi, got {value.GetRawText()}");

    private static List<string> Strings(JsonElement c, string name)
    {
        if (!c.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            throw Invalid($"container.{name} must be a list of names, e.g. [etl-secrets], got {value.GetRawText()}");
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    private static Dictionary<string, string> Map(JsonElement c, string name)
    {
        if (!c.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"container.{name} must be a mapping, e.g. {{agentpool: batch}}, got {value.GetRawText()}");
        }

        return value.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(),
            StringComparer.Ordinal);
    }

    private static List<JsonElement> Objects(JsonElement c, string name)
    {
        if (!c.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Object))
        {
            throw Invalid($"container.{name} must be a list of mappings, e.g. [{{key: dedicated, operator: Equal, value: batch, effect: NoSchedule}}], got {value.GetRawText()}");
        }

        return [.. value.EnumerateArray().Select(v => v.Clone())];
    }

    private static TaskFailure Invalid(string message) => new(message, retryable: false);
}
