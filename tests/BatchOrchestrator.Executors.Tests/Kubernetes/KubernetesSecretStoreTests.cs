using System.Text;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Kubernetes.Secrets;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using k8s;
using k8s.Authentication;
using k8s.Models;

namespace BatchOrchestrator.Executors.Tests.Kubernetes;

/// <summary>The secret store that reads a project's secrets from a Kubernetes Secret, against the fake API server.</summary>
[TestClass]
public sealed class KubernetesSecretStoreTests
{
    [TestMethod]
    public async Task Values_are_read_from_the_projects_Secret_as_kubectl_created_it_and_a_missing_key_is_not_set()
    {
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = "host-token" });
        using var api = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, Token: new StringTokenProvider("host-token", "Bearer")));
        // What `kubectl create secret generic bo-secrets-etl --from-literal=db.password=...` sends.
        await api.CoreV1.CreateNamespacedSecretAsync(KubectlSecret("bo-secrets-etl", ("db.password", "p4ss-w0rd!"), ("api_token", "tok-123456")), "batch");
        var store = new KubernetesSecretStore(api, "batch");

        Assert.AreEqual("p4ss-w0rd!", await store.GetAsync("etl", "db.password", CancellationToken.None));
        Assert.AreEqual("tok-123456", await store.GetAsync("etl", "api_token", CancellationToken.None));
        Assert.IsNull(await store.GetAsync("etl", "not.there", CancellationToken.None));
        CollectionAssert.AreEqual(new[] { "api_token", "db.password" }, (await store.ListAsync("etl", CancellationToken.None)).ToArray());
    }

    [TestMethod]
    public async Task A_project_without_its_Secret_or_with_a_name_Kubernetes_refuses_gets_a_message_saying_what_to_create()
    {
        await using var server = await FakeKubernetesServer.StartAsync();
        using var api = KubernetesClients.Create(new KubernetesConnection(server.BaseUri));
        var store = new KubernetesSecretStore(api, "batch");

        var missing = await Assert.ThrowsExactlyAsync<SecretStoreException>(() => store.GetAsync("etl", "db.password", CancellationToken.None));
        var badName = await Assert.ThrowsExactlyAsync<SecretStoreException>(() => store.GetAsync("My_Project", "db.password", CancellationToken.None));

        StringAssert.Contains(missing.Message, "the Kubernetes Secret bo-secrets-etl does not exist in namespace batch");
        StringAssert.Contains(missing.Message, "kubectl create secret generic bo-secrets-etl -n batch --from-literal=db.password=...");
        StringAssert.Contains(badName.Message, "BO_SECRETS_KUBERNETES_SECRET");
    }

    [TestMethod]
    public async Task Set_and_delete_patch_one_key_creating_the_Secret_when_there_is_none_and_keep_keys_set_by_others()
    {
        await using var server = await FakeKubernetesServer.StartAsync();
        using var api = KubernetesClients.Create(new KubernetesConnection(server.BaseUri));
        var store = new KubernetesSecretStore(api, "batch", nameTemplate: "shared-secrets");

        await store.SetAsync("etl", "db.password", "first-value", CancellationToken.None);
        // Someone adds a key with kubectl meanwhile.
        await api.CoreV1.PatchNamespacedSecretAsync(new V1Patch("{\"data\":{\"other\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes("theirs")) + "\"}}", V1Patch.PatchType.MergePatch), "shared-secrets", "batch");
        await store.SetAsync("reports", "db.password", "second-value", CancellationToken.None);

        Assert.AreEqual("second-value", await store.GetAsync("etl", "db.password", CancellationToken.None), "a fixed name is shared by every project");
        Assert.AreEqual("theirs", await store.GetAsync("etl", "other", CancellationToken.None));
        Assert.IsTrue(await store.DeleteAsync("etl", "db.password", CancellationToken.None));
        Assert.IsFalse(await store.DeleteAsync("etl", "db.password", CancellationToken.None));
        CollectionAssert.AreEqual(new[] { "other" }, (await store.ListAsync("etl", CancellationToken.None)).ToArray());
    }

    private static V1Secret KubectlSecret(string name, params (string Key, string Value)[] values) => new()
    {
        Kind = "Secret",
        ApiVersion = "v1",
        Metadata = new V1ObjectMeta { Name = name },
        Data = values.ToDictionary(v => v.Key, v => Encoding.UTF8.GetBytes(v.Value)),
    };
}
