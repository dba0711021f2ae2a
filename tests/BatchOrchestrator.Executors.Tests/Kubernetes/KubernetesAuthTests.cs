using System.Net;
using System.Security.Cryptography.X509Certificates;
using BatchOrchestrator.Executors.Kubernetes.Auth;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using k8s;
using k8s.Authentication;
using k8s.Autorest;

namespace BatchOrchestrator.Executors.Tests.Kubernetes;

[TestClass]
public sealed class KubernetesAuthTests
{
    [TestMethod]
    public async Task A_bearer_token_over_TLS_trusting_only_the_clusters_CA_is_accepted()
    {
        using var certificates = new TestCertificates();
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = "sa-token", ServerCertificate = certificates.Server });
        using var api = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, [certificates.Ca], Token: new StringTokenProvider("sa-token", "Bearer")));

        var list = await api.BatchV1.ListNamespacedJobAsync("batch");

        Assert.AreEqual(0, list.Items.Count);
        Assert.AreEqual("https", server.BaseUri.Scheme);
    }

    [TestMethod]
    public async Task A_wrong_token_gets_401_with_the_servers_status()
    {
        using var certificates = new TestCertificates();
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = "sa-token", ServerCertificate = certificates.Server });
        using var api = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, [certificates.Ca], Token: new StringTokenProvider("stale", "Bearer")));

        var error = await Assert.ThrowsExactlyAsync<HttpOperationException>(() => api.BatchV1.ListNamespacedJobAsync("batch"));

        Assert.AreEqual(HttpStatusCode.Unauthorized, error.Code());
        StringAssert.Contains(error.Describe(), "answered 401 Unauthorized");
    }

    [TestMethod]
    public async Task A_rotated_token_file_is_read_again_after_a_401()
    {
        using var certificates = new TestCertificates();
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = "new-token", ServerCertificate = certificates.Server });
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "old-token");
            var source = new FileTokenSource(file, TimeSpan.FromHours(1));
            Assert.AreEqual("old-token", await source.BearerAsync());
            await File.WriteAllTextAsync(file, "new-token\n");
            using var api = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, [certificates.Ca], Token: source));

            var list = await api.BatchV1.ListNamespacedJobAsync("batch");

            Assert.AreEqual(0, list.Items.Count);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [TestMethod]
    public async Task A_client_certificate_of_the_clusters_CA_is_accepted()
    {
        using var certificates = new TestCertificates();
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { ClientCa = certificates.Ca, ServerCertificate = certificates.Server });
        using var api = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, [certificates.Ca], ClientCertificate: certificates.Client));

        var list = await api.BatchV1.ListNamespacedJobAsync("batch");

        Assert.AreEqual(0, list.Items.Count);
    }

    [TestMethod]
    public async Task A_server_whose_certificate_is_not_from_the_kubeconfig_CA_is_refused()
    {
        using var certificates = new TestCertificates();
        using var other = new TestCertificates("another-ca");
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { ServerCertificate = certificates.Server });
        using var api = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, [other.Ca]));

        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => api.BatchV1.ListNamespacedJobAsync("batch"));
    }
}
