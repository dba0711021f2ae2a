using System.Text.Json.Serialization;
using BatchOrchestrator.Executors.Aci;
using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Local;

namespace BatchOrchestrator.Executors;

/// <summary>Compile-time JSON metadata for the executors' command states (kept in orchestration history).</summary>
[JsonSerializable(typeof(LocalCommandData))]
[JsonSerializable(typeof(KubernetesCommandData))]
[JsonSerializable(typeof(AciCommandData))]
internal sealed partial class ExecutorJsonContext : JsonSerializerContext;
