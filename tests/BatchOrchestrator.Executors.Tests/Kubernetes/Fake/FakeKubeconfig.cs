namespace BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

/// <summary>A kubeconfig file for a fake API server over TLS: one context <c>fake</c>, a bearer-token user and a namespace.</summary>
internal static class FakeKubeconfig
{
    public static async Task<string> WriteAsync(string path, FakeKubernetesServer server, TestCertificates certificates, string token, string ns)
    {
        var ca = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(certificates.Ca.ExportCertificatePem()));
        await File.WriteAllTextAsync(path, $$"""
            clusters:
            - name: fake
              cluster:
                server: "{{server.BaseUri}}"
                certificate-authority-data: {{ca}}
            users:
            - name: engine
              user: {token: {{token}}}
            contexts:
            - name: fake
              context: {cluster: fake, user: engine, namespace: {{ns}}}
            """);
        return path;
    }
}
