using System.Text.Json;

namespace BatchOrchestrator.Executors.Kubernetes.Api;

/// <summary>The items of a list call and the list's resourceVersion (where a watch starts).</summary>
public sealed record ResourceList(IReadOnlyList<JsonElement> Items, string ResourceVersion);
