using BatchOrchestrator.Executors.Kubernetes.Client;

namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>What a kubeconfig context or the in-cluster service account resolves to: a connection and the default namespace.</summary>
/// <param name="Connection">The API server and credentials.</param>
/// <param name="Namespace">The context's namespace (or the pod's own, in cluster); null when none is set.</param>
/// <param name="Description">Where it came from, for messages ("context 'aks-prod' of /home/bo/.kube/config").</param>
public sealed record KubernetesTarget(KubernetesConnection Connection, string? Namespace, string Description);
