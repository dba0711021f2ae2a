using Azure.Core;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Executors.Aci;
using BatchOrchestrator.Executors.Hosting;
using BatchOrchestrator.Executors.Kubernetes.Auth;
using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Tests.Kubernetes.Config;
using BatchOrchestrator.Server.Local;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Executors.Tests.Host;

/// <summary>Host environment → container executors (docs/executors.md).</summary>
[TestClass]
public sealed class ExecutorConfigurationTests
{
    private const string Kubeconfig = """
        current-context: dev
        clusters: [{name: c, cluster: {server: "https://k.example"}}]
        users:
        - {name: u, user: {token: t}}
        - name: aad
          user:
            exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin, args: [get-token, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]}
        contexts:
        - {name: dev, context: {cluster: c, user: u, namespace: etl}}
        - {name: aks, context: {cluster: c, user: aad}}
        """;

    [TestMethod]
    public async Task An_empty_environment_registers_both_executors_as_unconfigured_with_what_to_set()
    {
        var executors = await BuildAsync(new Dictionary<string, string> { ["HOME"] = "/nonexistent" });

        var kubernetes = (UnconfiguredExecutor)executors["kubernetes"];
        var aci = (UnconfiguredExecutor)executors["aci"];
        StringAssert.StartsWith(kubernetes.Message, "container.executor 'kubernetes' is not configured on this host: set BO_KUBERNETES=1");
        StringAssert.StartsWith(aci.Message, "container.executor 'aci' is not configured on this host: set BO_ACI_SUBSCRIPTION");
    }

    [TestMethod]
    public async Task BO_KUBERNETES_with_KUBECONFIG_uses_the_current_context_and_its_namespace()
    {
        using var files = new KubeconfigFiles();
        var path = files.Write("config", Kubeconfig);

        var executors = await BuildAsync(new Dictionary<string, string> { ["BO_KUBERNETES"] = "1", ["KUBECONFIG"] = path });

        var kubernetes = (KubernetesCommandExecutor)executors["kubernetes"];
        Assert.AreEqual("etl", kubernetes.Options.Namespace);
    }

    [TestMethod]
    public async Task BO_KUBERNETES_NAMESPACE_wins_over_the_contexts()
    {
        using var files = new KubeconfigFiles();
        var path = files.Write("config", Kubeconfig);

        var executors = await BuildAsync(new Dictionary<string, string> { ["BO_KUBERNETES_CONTEXT"] = "dev", ["BO_KUBERNETES_NAMESPACE"] = "batch", ["KUBECONFIG"] = path });

        Assert.AreEqual("batch", ((KubernetesCommandExecutor)executors["kubernetes"]).Options.Namespace);
    }

    [TestMethod]
    public async Task A_kubelogin_user_without_kubelogin_on_PATH_gets_Entra_tokens_from_the_host_credential()
    {
        using var files = new KubeconfigFiles();
        var path = files.Write("config", Kubeconfig);
        var credential = new FixedCredential();

        var executors = await BuildAsync(
            new Dictionary<string, string> { ["BO_KUBERNETES_CONTEXT"] = "aks", ["KUBECONFIG"] = path, ["PATH"] = files.Root },
            credential);

        // Running kubelogin (absent from PATH) would have failed the setup: a working executor means Entra tokens replaced it.
        Assert.IsInstanceOfType<KubernetesCommandExecutor>(executors["kubernetes"]);
        Assert.AreEqual("default", ((KubernetesCommandExecutor)executors["kubernetes"]).Options.Namespace);
        Assert.AreEqual(0, credential.Calls, "tokens are asked for per request, not at start");
    }

    [TestMethod]
    public async Task A_missing_context_leaves_kubernetes_unusable_with_the_kubeconfig_error()
    {
        using var files = new KubeconfigFiles();
        var path = files.Write("config", Kubeconfig);

        var executors = await BuildAsync(new Dictionary<string, string> { ["BO_KUBERNETES_CONTEXT"] = "prod", ["KUBECONFIG"] = path });

        Assert.AreEqual(
            $"container.executor 'kubernetes' is configured on this host but unusable: The Kubernetes context 'prod' is not in {path} (contexts: aks, dev).",
            ((UnconfiguredExecutor)executors["kubernetes"]).Message);
    }

    [TestMethod]
    public async Task BO_ACI_variables_make_the_ACI_executor_and_a_partial_set_names_what_is_missing()
    {
        var full = await BuildAsync(new Dictionary<string, string>
        {
            ["BO_ACI_SUBSCRIPTION"] = "00000000-0000-0000-0000-000000000001",
            ["BO_ACI_RESOURCE_GROUP"] = "batch-rg",
            ["BO_ACI_LOCATION"] = "japaneast",
            ["BO_ACI_IDENTITY"] = "/subscriptions/x/resourceGroups/batch-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/bo",
        });
        var partial = await BuildAsync(new Dictionary<string, string> { ["BO_ACI_SUBSCRIPTION"] = "s" });

        Assert.IsInstanceOfType<AciCommandExecutor>(full["aci"]);
        Assert.AreEqual(
            "container.executor 'aci' is configured on this host but incomplete: BO_ACI_RESOURCE_GROUP, BO_ACI_LOCATION not set (BO_ACI_SUBSCRIPTION, BO_ACI_RESOURCE_GROUP and BO_ACI_LOCATION go together).",
            ((UnconfiguredExecutor)partial["aci"]).Message);
    }

    [TestMethod]
    public async Task In_a_pod_the_service_account_is_used_without_any_setting()
    {
        using var files = new KubeconfigFiles();
        files.Write("sa/token", "t");
        files.Write("sa/namespace", "jobs");
        using var certificates = new Kubernetes.Fake.TestCertificates();
        files.Write("sa/ca.crt", certificates.Ca.ExportCertificatePem());

        var executors = await BuildAsync(
            new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" },
            serviceAccount: Path.Combine(files.Root, "sa"));

        Assert.AreEqual("jobs", ((KubernetesCommandExecutor)executors["kubernetes"]).Options.Namespace);
    }

    private static async Task<Dictionary<string, ICommandExecutor>> BuildAsync(
        Dictionary<string, string> environment, TokenCredential? credential = null, string? serviceAccount = null)
    {
        var options = new ExecutorConfigurationOptions
        {
            Credential = () => credential ?? new FixedCredential(),
            ServiceAccountFolder = serviceAccount ?? "/nonexistent",
        };
        var factories = await ExecutorConfiguration.ReadAsync(environment, options, CancellationToken.None);
        var logs = new FileLogStore(Path.Combine(Path.GetTempPath(), "bo-unused-logs"));
        return factories.Select(make => make(logs)).ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    private sealed class FixedCredential : TokenCredential
    {
        public int Calls { get; private set; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            return new AccessToken("entra", DateTimeOffset.MaxValue);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
