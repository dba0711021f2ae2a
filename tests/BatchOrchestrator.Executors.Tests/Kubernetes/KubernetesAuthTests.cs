using System.Net;
using System.Net.Http.Headers;
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
    public async Task A_401_renews_the_token_and_sends_the_request_once_more_and_only_once()
    {
        using var certificates = new TestCertificates();
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = "sa-token", ServerCertificate = certificates.Server });
        var renewing = new QueuedTokens("expired", "sa-token");
        var stillWrong = new QueuedTokens("expired", "revoked", "sa-token");
        using (var api = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, [certificates.Ca], Token: renewing)))
        {
            Assert.IsEmpty((await api.BatchV1.ListNamespacedJobAsync("batch")).Items);
        }

        var requestsBefore = server.Requests;
        using (var api = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, [certificates.Ca], Token: stillWrong)))
        {
            var error = await Assert.ThrowsExactlyAsync<HttpOperationException>(() => api.BatchV1.ListNamespacedJobAsync("batch"));
            Assert.AreEqual(HttpStatusCode.Unauthorized, error.Code());
        }

        Assert.AreEqual(1, renewing.Renewals);
        Assert.AreEqual(1, stillWrong.Renewals);
        Assert.AreEqual(2, server.Requests - requestsBefore, "the request and one retry with the renewed token");
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

    /// <summary>Gives its tokens in turn, moving to the next one only when told the current one was refused.</summary>
    private sealed class QueuedTokens(params string[] tokens) : IRenewableTokenProvider
    {
        private int _current;

        public int Renewals => _current;

        public Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new AuthenticationHeaderValue("Bearer", tokens[Math.Min(_current, tokens.Length - 1)]));

        public void Invalidate() => Interlocked.Increment(ref _current);
    }
}
