using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using k8s;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Client;

/// <summary>
/// TLS to an API server whose certificate comes from the cluster's own CA: the chain must end at
/// that CA and the certificate must name the host (or the kubeconfig's <c>tls-server-name</c>) —
/// the library alone accepts a certificate of the CA naming any host.
/// </summary>
[TestClass]
public sealed class ServerTrustTests
{
    [TestMethod]
    public async Task A_certificate_of_the_clusters_CA_that_names_another_host_is_refused()
    {
        using var certificates = new TestCertificates("fake-cluster-ca", "kube.internal");
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { ServerCertificate = certificates.Server });
        using var client = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, [certificates.Ca]));

        var error = await Assert.ThrowsExactlyAsync<HttpRequestException>(() => client.BatchV1.ListNamespacedJobAsync("batch"));

        Assert.AreEqual(0, server.Requests, error.ToString());
    }

    [TestMethod]
    public async Task The_tls_server_name_is_the_name_the_certificate_must_carry_when_it_lacks_the_URLs_address()
    {
        using var certificates = new TestCertificates("fake-cluster-ca", "kube.internal");
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { ServerCertificate = certificates.Server });
        using var named = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, [certificates.Ca]) { TlsServerName = "kube.internal" });
        using var misnamed = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, [certificates.Ca]) { TlsServerName = "other.internal" });

        var list = await named.BatchV1.ListNamespacedJobAsync("batch");
        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => misnamed.BatchV1.ListNamespacedJobAsync("batch"));

        Assert.IsEmpty(list.Items);
    }
}
