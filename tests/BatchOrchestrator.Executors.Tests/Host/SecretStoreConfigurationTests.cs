using System.Text;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Executors.Hosting;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Kubernetes.Secrets;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using BatchOrchestrator.Executors.Tests.Support;
using BatchOrchestrator.Server.Local;
using BatchOrchestrator.Storage.Files;
using BatchOrchestrator.Storage.KeyVault;
using BatchOrchestrator.Storage.Tests.KeyVault;
using k8s;
using k8s.Authentication;
using k8s.Models;

namespace BatchOrchestrator.Executors.Tests.Host;

/// <summary>Host environment → the secret store <c>${secret:...}</c> reads (docs/secrets.md).</summary>
[TestClass]
public sealed class SecretStoreConfigurationTests
{
    [TestMethod]
    public async Task By_default_the_store_is_the_encrypted_file_of_the_state_folder()
    {
        using var folder = new TempFolder();

        var store = await StoreAsync(new Dictionary<string, string>(), folder);

        Assert.IsInstanceOfType<EncryptedFileSecretStore>(store);
    }

    [TestMethod]
    public async Task BO_SECRETS_keyvault_reads_the_vault_named_by_BO_KEYVAULT_URI_with_the_hosts_credential()
    {
        using var folder = new TempFolder();
        using var vault = new FakeKeyVault();
        vault.Put(KeyVaultSecretNames.For("etl", "db.password"), "from-the-vault");
        var options = new ExecutorConfigurationOptions
        {
            Credential = () => vault.Credential,
            KeyVaultClientOptions = () => new SecretClientOptions { Transport = new HttpClientTransport(new HttpClient(vault)) },
        };

        var store = await StoreAsync(new Dictionary<string, string> { ["BO_SECRETS"] = "keyvault", ["BO_KEYVAULT_URI"] = vault.VaultUri.ToString() }, folder, options);

        Assert.AreEqual("from-the-vault", await store.GetAsync("etl", "db.password", CancellationToken.None));
    }

    [TestMethod]
    public async Task BO_SECRETS_kubernetes_reads_the_projects_Secret_through_the_kubeconfig_context_and_namespace()
    {
        using var folder = new TempFolder();
        using var certificates = new TestCertificates();
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = "host-token", ServerCertificate = certificates.Server });
        using (var admin = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, [certificates.Ca], Token: new StringTokenProvider("host-token", "Bearer"))))
        {
            await admin.CoreV1.CreateNamespacedSecretAsync(
                new V1Secret { Metadata = new V1ObjectMeta { Name = "team-etl" }, Data = new Dictionary<string, byte[]> { ["db.password"] = Encoding.UTF8.GetBytes("from-the-cluster") } },
                "batch");
        }

        var kubeconfig = await FakeKubeconfig.WriteAsync(Path.Combine(folder.Path, "kubeconfig"), server, certificates, "host-token", "batch");

        var store = await StoreAsync(
            new Dictionary<string, string> { ["BO_SECRETS"] = "kubernetes", ["KUBECONFIG"] = kubeconfig, ["BO_KUBERNETES_CONTEXT"] = "fake", ["BO_SECRETS_KUBERNETES_SECRET"] = "team-{project}" },
            folder);

        using var disposable = (KubernetesSecretStore)store;
        Assert.AreEqual("batch", disposable.Namespace);
        Assert.AreEqual("from-the-cluster", await store.GetAsync("etl", "db.password", CancellationToken.None));
    }

    [TestMethod]
    public async Task Settings_that_do_not_work_give_a_store_whose_calls_say_why()
    {
        using var folder = new TempFolder();

        var unknown = await StoreAsync(new Dictionary<string, string> { ["BO_SECRETS"] = "vault" }, folder);
        var noUri = await StoreAsync(new Dictionary<string, string> { ["BO_SECRETS"] = "keyvault" }, folder);
        var noCluster = await StoreAsync(new Dictionary<string, string> { ["BO_SECRETS"] = "kubernetes", ["HOME"] = "/nonexistent" }, folder);

        StringAssert.Contains((await Assert.ThrowsExactlyAsync<SecretStoreException>(() => unknown.GetAsync("p", "k", CancellationToken.None))).Message, "BO_SECRETS is 'vault': expected file, keyvault or kubernetes");
        StringAssert.Contains((await Assert.ThrowsExactlyAsync<SecretStoreException>(() => noUri.GetAsync("p", "k", CancellationToken.None))).Message, "BO_SECRETS=keyvault needs BO_KEYVAULT_URI");
        StringAssert.Contains((await Assert.ThrowsExactlyAsync<SecretStoreException>(() => noCluster.ListAsync("p", CancellationToken.None))).Message, "BO_SECRETS=kubernetes cannot reach the cluster: No kubeconfig file found");
    }

    private static Task<ISecretStore> StoreAsync(Dictionary<string, string> environment, TempFolder folder, ExecutorConfigurationOptions? options = null) =>
        SecretStoreConfiguration.SecretStoreAsync(
            environment,
            Path.Combine(folder.Path, ".bo"),
            new SecretKeySource(null, Path.Combine(folder.Path, "secrets.key")),
            (options ?? new ExecutorConfigurationOptions()) with { ServiceAccountFolder = "/nonexistent" },
            CancellationToken.None);
}
