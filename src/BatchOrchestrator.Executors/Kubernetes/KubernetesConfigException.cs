namespace BatchOrchestrator.Executors.Kubernetes;

/// <summary>
/// The host's Kubernetes configuration is wrong or unusable (a missing context, an unreadable
/// certificate, an exec plugin that failed). The message names the file, the entry and the fix.
/// </summary>
public sealed class KubernetesConfigException : Exception
{
    public KubernetesConfigException()
    {
    }

    public KubernetesConfigException(string message)
        : base(message)
    {
    }

    public KubernetesConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
