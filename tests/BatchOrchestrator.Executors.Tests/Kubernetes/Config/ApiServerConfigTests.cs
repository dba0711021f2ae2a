using System.Text;
using Azure.Core;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Executors.Hosting;
using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Kubernetes.Auth;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using BatchOrchestrator.Executors.Tests.Support;
using k8s;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Config;

/// <summary>
/// A host with no kubeconfig and no service account (the Functions app) naming the AKS API server
/// directly: BO_KUBERNETES_SERVER, BO_KUBERNETES_CA and Entra ID tokens of the host's identity,
/// against the fake API server over TLS with a test CA, requiring the bearer token.
/// </summary>
[TestClass]
public sealed class ApiServerConfigTests
{
    private const string EntraToken = "entra-token-of-the-app";

    [TestMethod]
    public async Task A_named_API_server_runs_Jobs_over_TLS_with_its_CA_and_the_host_identitys_Entra_tokens()
    {
        using var certificates = new TestCertificates();
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = EntraToken, ServerCertificate = certificates.Server });
        var credential = new RecordingCredential();
        var logs = new MemoryLogStore();

        var executor = (await BuildAsync(Settings(server.BaseUri, Base64Pem(certificates)), credential))(logs);

        var kubernetes = (KubernetesCommandExecutor)executor;
        Assert.AreEqual("batch", kubernetes.Options.Namespace);
        var request = KubernetesHarness.Sh("echo hello from aks");
        var status = await KubernetesHarness.RunAsync(kubernetes, request);
        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        Assert.AreEqual("hello from aks\n", logs.Text(request.Log));
        Assert.IsNotEmpty(credential.Scopes);
        Assert.IsTrue(credential.Scopes.All(s => s == EntraTokenSource.AksScope), string.Join(", ", credential.Scopes));
        kubernetes.Dispose();
    }

    [TestMethod]
    public async Task The_CA_may_be_given_as_PEM_and_a_server_certificate_from_another_CA_is_refused()
    {
        using var certificates = new TestCertificates();
        using var other = new TestCertificates("another-ca");
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = EntraToken, ServerCertificate = certificates.Server });
        var options = new ExecutorConfigurationOptions { Credential = () => new RecordingCredential() };

        var trusted = await ExecutorConfiguration.KubernetesTargetAsync(Settings(server.BaseUri, certificates.Ca.ExportCertificatePem()), null, options, CancellationToken.None);
        var untrusted = await ExecutorConfiguration.KubernetesTargetAsync(Settings(server.BaseUri, Base64Pem(other)), null, options, CancellationToken.None);

        using (var api = KubernetesClients.Create(trusted.Connection))
        {
            Assert.IsEmpty((await api.BatchV1.ListNamespacedJobAsync("batch")).Items);
        }

        using (var api = KubernetesClients.Create(untrusted.Connection))
        {
            await Assert.ThrowsExactlyAsync<HttpRequestException>(() => api.BatchV1.ListNamespacedJobAsync("batch"));
        }
    }

    [TestMethod]
    public async Task A_server_certificate_from_the_named_CA_must_also_name_the_servers_host()
    {
        using var certificates = new TestCertificates("aks-cluster-ca", "mycluster-dns-1a2b3c4d.hcp.westeurope.azmk8s.io");
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = EntraToken, ServerCertificate = certificates.Server });
        var credential = new RecordingCredential();
        var options = new ExecutorConfigurationOptions { Credential = () => credential };

        var target = await ExecutorConfiguration.KubernetesTargetAsync(Settings(server.BaseUri, Base64Pem(certificates)), null, options, CancellationToken.None);
        using var api = KubernetesClients.Create(target.Connection);

        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => api.BatchV1.ListNamespacedJobAsync("batch"));
        Assert.AreEqual(0, server.Requests, "nothing, not even the Entra token, reached a server that is not the one named");
    }

    [TestMethod]
    [DataRow("BO_KUBERNETES_SERVER", "http://aks.example:443", "expected the API server's https URL")]
    [DataRow("BO_KUBERNETES_CA", "not base64 !", "BO_KUBERNETES_CA is neither PEM nor base64 of PEM")]
    [DataRow("BO_KUBERNETES_CA", "bm90IGEgY2VydGlmaWNhdGU=", "The certificate authority of BO_KUBERNETES_CA holds no PEM certificate")]
    [DataRow("BO_KUBERNETES_CONTEXT", "aks", "Set BO_KUBERNETES_SERVER or BO_KUBERNETES_CONTEXT, not both")]
    [DataRow("BO_KUBERNETES_AUTH", "kubeconfig", "BO_KUBERNETES_SERVER signs in with the host's Entra ID identity")]
    public async Task A_wrong_setting_leaves_kubernetes_unusable_saying_what_to_fix(string variable, string value, string expected)
    {
        using var certificates = new TestCertificates();
        var environment = Settings(new Uri("https://aks.example:443"), Base64Pem(certificates));
        environment[variable] = value;

        var executor = (await BuildAsync(environment, new RecordingCredential()))(new MemoryLogStore());

        var message = ((UnconfiguredExecutor)executor).Message;
        StringAssert.StartsWith(message, "container.executor 'kubernetes' is configured on this host but unusable: ");
        StringAssert.Contains(message, expected);
    }

    private static Dictionary<string, string> Settings(Uri server, string ca) => new()
    {
        ["HOME"] = "/nonexistent",
        ["BO_KUBERNETES_SERVER"] = server.ToString(),
        ["BO_KUBERNETES_CA"] = ca,
        ["BO_KUBERNETES_AUTH"] = "entra",
        ["BO_KUBERNETES_NAMESPACE"] = "batch",
    };

    private static string Base64Pem(TestCertificates certificates) => Convert.ToBase64String(Encoding.UTF8.GetBytes(certificates.Ca.ExportCertificatePem()));

    private static async Task<Func<Engine.Stores.ILogStore, ICommandExecutor>> BuildAsync(Dictionary<string, string> environment, TokenCredential credential)
    {
        var options = new ExecutorConfigurationOptions { Credential = () => credential, Kubernetes = KubernetesHarness.FastOptions };
        var factories = await ExecutorConfiguration.ReadAsync(environment, options, CancellationToken.None);
        return logs => factories.Select(make => make(logs)).Single(e => e.Name == KubernetesCommandExecutor.ExecutorName);
    }

    /// <summary>The host's identity as Entra ID would answer it: a token for whatever scope is asked, the scopes remembered.</summary>
    private sealed class RecordingCredential : TokenCredential
    {
        private readonly List<string> _scopes = [];

        public IReadOnlyList<string> Scopes
        {
            get
            {
                lock (_scopes)
                {
                    return [.. _scopes];
                }
            }
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (_scopes)
            {
                _scopes.AddRange(requestContext.Scopes);
            }

            return new AccessToken(EntraToken, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
