using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Kubernetes.Config;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using k8s;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Config;

[TestClass]
public sealed class InClusterConfigTests
{
    [TestMethod]
    public async Task The_service_account_folder_gives_server_CA_token_and_namespace_and_a_rotated_token_is_reread()
    {
        using var certificates = new TestCertificates();
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = "rotated", ServerCertificate = certificates.Server });
        using var files = new KubeconfigFiles();
        files.Write("sa/ca.crt", certificates.Ca.ExportCertificatePem());
        var token = files.Write("sa/token", "expired");
        files.Write("sa/namespace", "batch\n");
        var environment = new Dictionary<string, string>
        {
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
            ["KUBERNETES_SERVICE_PORT"] = server.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        var target = await InClusterConfig.LoadAsync(environment, Path.Combine(files.Root, "sa"));
        Assert.AreEqual("expired", await target.Connection.Token!.BearerAsync());
        await File.WriteAllTextAsync(token, "rotated");
        using var api = KubernetesClients.Create(target.Connection);
        var list = await api.BatchV1.ListNamespacedJobAsync("batch");

        Assert.AreEqual(0, list.Items.Count);
        Assert.AreEqual("batch", target.Namespace);
        Assert.AreEqual(new Uri($"https://127.0.0.1:{server.BaseUri.Port}"), target.Connection.Server);
    }

    [TestMethod]
    public async Task A_pod_without_a_mounted_token_says_so()
    {
        using var files = new KubeconfigFiles();
        var environment = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "fd00::1", ["KUBERNETES_SERVICE_PORT"] = "443" };

        var error = await Assert.ThrowsExactlyAsync<KubernetesConfigException>(() => InClusterConfig.LoadAsync(environment, files.Root));

        StringAssert.Contains(error.Message, "automountServiceAccountToken");
        Assert.IsFalse(InClusterConfig.IsAvailable(new Dictionary<string, string>()));
    }
}
