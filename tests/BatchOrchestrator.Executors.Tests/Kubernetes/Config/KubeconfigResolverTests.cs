using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Kubernetes.Auth;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Kubernetes.Config;
using BatchOrchestrator.Executors.Tests.Aci;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using k8s;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Config;

[TestClass]
public sealed class KubeconfigResolverTests
{
    [TestMethod]
    public async Task A_context_with_CA_data_and_client_certificate_files_talks_to_the_TLS_server()
    {
        using var certificates = new TestCertificates();
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { ClientCa = certificates.Ca, ServerCertificate = certificates.Server });
        using var files = new KubeconfigFiles();
        files.Write("pki/client.crt", certificates.Client.ExportCertificatePem());
        files.Write("pki/client.key", certificates.Client.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(certificates.Ca.ExportCertificatePem()));
        var path = files.Write("config", $"""
            current-context: dev
            clusters:
            - name: fake
              cluster: {"{"}server: "{server.BaseUri}", certificate-authority-data: {ca}{"}"}
            users:
            - name: engine
              user: {"{"}client-certificate: pki/client.crt, client-key: pki/client.key{"}"}
            contexts:
            - name: dev
              context: {"{"}cluster: fake, user: engine, namespace: batch{"}"}
            """);

        var target = await KubeconfigResolver.ResolveAsync(await KubeconfigLoader.LoadAsync([path], CancellationToken.None), null);
        using var api = KubernetesClients.Create(target.Connection);
        var list = await api.BatchV1.ListNamespacedJobAsync("batch");

        Assert.AreEqual(0, list.Items.Count);
        Assert.AreEqual("batch", target.Namespace);
        Assert.IsNotNull(target.Connection.ClientCertificate);
    }

    [TestMethod]
    public async Task A_clusters_tls_server_name_is_the_name_its_certificate_is_checked_for()
    {
        using var certificates = new TestCertificates("fake-cluster-ca", "kube.internal");
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = "t", ServerCertificate = certificates.Server });
        using var files = new KubeconfigFiles();
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(certificates.Ca.ExportCertificatePem()));
        var path = files.Write("config", $"""
            current-context: named
            clusters:
            - name: named
              cluster: {"{"}server: "{server.BaseUri}", certificate-authority-data: {ca}, tls-server-name: kube.internal{"}"}
            - name: unnamed
              cluster: {"{"}server: "{server.BaseUri}", certificate-authority-data: {ca}{"}"}
            users: [{"{"}name: u, user: {"{"}token: t{"}"}{"}"}]
            contexts:
            - {"{"}name: named, context: {"{"}cluster: named, user: u{"}"}{"}"}
            - {"{"}name: unnamed, context: {"{"}cluster: unnamed, user: u{"}"}{"}"}
            """);
        var config = await KubeconfigLoader.LoadAsync([path], CancellationToken.None);

        using var named = KubernetesClients.Create((await KubeconfigResolver.ResolveAsync(config, "named")).Connection);
        using var unnamed = KubernetesClients.Create((await KubeconfigResolver.ResolveAsync(config, "unnamed")).Connection);

        Assert.IsEmpty((await named.BatchV1.ListNamespacedJobAsync("batch")).Items, "the certificate names kube.internal, not 127.0.0.1");
        await Assert.ThrowsExactlyAsync<HttpRequestException>(() => unnamed.BatchV1.ListNamespacedJobAsync("batch"));
    }

    [TestMethod]
    public async Task A_token_file_user_reads_the_file_relative_to_its_kubeconfig()
    {
        using var files = new KubeconfigFiles();
        files.Write("dir/token", "from-file\n");
        var path = files.Write("dir/config", """
            clusters: [{name: c, cluster: {server: "https://k.example", insecure-skip-tls-verify: true, tls-server-name: api.internal}}]
            users: [{name: u, user: {tokenFile: token}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            """);

        var target = await KubeconfigResolver.ResolveAsync(await KubeconfigLoader.LoadAsync([path], CancellationToken.None), "x");

        Assert.IsInstanceOfType<FileTokenSource>(target.Connection.Token);
        Assert.AreEqual("from-file", await target.Connection.Token!.BearerAsync());
        Assert.IsTrue(target.Connection.InsecureSkipTlsVerify);
        Assert.AreEqual("api.internal", target.Connection.TlsServerName);
        Assert.IsNull(target.Namespace);
    }

    [TestMethod]
    public async Task Missing_context_cluster_or_user_names_the_file_and_what_exists()
    {
        using var files = new KubeconfigFiles();
        var path = files.Write("config", """
            current-context: gone
            clusters: [{name: c, cluster: {server: "https://k.example"}}]
            users: [{name: u, user: {token: t}}]
            contexts:
            - {name: no-user, context: {cluster: c, user: nobody}}
            - {name: no-cluster, context: {cluster: nowhere, user: u}}
            """);
        var config = await KubeconfigLoader.LoadAsync([path], CancellationToken.None);

        var context = await Assert.ThrowsExactlyAsync<KubernetesConfigException>(() => KubeconfigResolver.ResolveAsync(config, null));
        var user = await Assert.ThrowsExactlyAsync<KubernetesConfigException>(() => KubeconfigResolver.ResolveAsync(config, "no-user"));
        var cluster = await Assert.ThrowsExactlyAsync<KubernetesConfigException>(() => KubeconfigResolver.ResolveAsync(config, "no-cluster"));

        Assert.AreEqual($"The Kubernetes context 'gone' is not in {path} (contexts: no-cluster, no-user).", context.Message);
        Assert.AreEqual($"The context 'no-user' of {path} names user 'nobody', which is not in {path} (users: u).", user.Message);
        Assert.AreEqual($"The context 'no-cluster' of {path} names cluster 'nowhere', which is not in {path} (clusters: c).", cluster.Message);
    }

    [TestMethod]
    public async Task Invalid_yaml_names_the_file_and_line()
    {
        using var files = new KubeconfigFiles();
        var path = files.Write("config", "clusters:\n  - name: [unclosed\n");

        var error = await Assert.ThrowsExactlyAsync<KubernetesConfigException>(() => KubeconfigLoader.LoadAsync([path], CancellationToken.None));

        StringAssert.StartsWith(error.Message, $"The kubeconfig file {path} is not valid YAML (line ");
    }

    [TestMethod]
    public async Task An_exec_plugin_gets_its_args_env_and_exec_info_and_its_token_is_cached_until_expiry()
    {
        using var files = new KubeconfigFiles();
        var calls = Path.Combine(files.Root, "calls");
        var plugin = files.Write("bin/plugin", $$$"""
            #!/bin/sh
            printf '%s|%s|%s|%s\n' "$*" "$TENANT" "$KUBERNETES_EXEC_INFO" "$#" >> '{{{calls}}}'
            n=$(wc -l < '{{{calls}}}')
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-%s","expirationTimestamp":"2026-11-21T01:00:00Z"}}' "$n"
            """);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = files.Write("config", """
            current-context: aks
            clusters: [{name: aks, cluster: {server: "https://aks.example:443", insecure-skip-tls-verify: true}}]
            users:
            - name: entra
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./bin/plugin
                  args: [get-token, --server-id, 6dae42f8, --cache-dir, "/home/bo/kube cache"]
                  env: [{name: TENANT, value: contoso}]
                  provideClusterInfo: true
            contexts: [{name: aks, context: {cluster: aks, user: entra}}]
            """);
        var clock = new ManualClock();

        var target = await KubeconfigResolver.ResolveAsync(await KubeconfigLoader.LoadAsync([path], CancellationToken.None), null, time: clock);
        var first = await target.Connection.Token!.BearerAsync();
        clock.Advance(TimeSpan.FromMinutes(59));
        var cached = await target.Connection.Token!.BearerAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        var renewed = await target.Connection.Token!.BearerAsync();

        Assert.AreEqual("tok-1", first);
        Assert.AreEqual("tok-1", cached);
        Assert.AreEqual("tok-2", renewed);
        var call = File.ReadAllLines(calls)[0].Split('|');
        Assert.AreEqual("get-token --server-id 6dae42f8 --cache-dir /home/bo/kube cache", call[0]);
        Assert.AreEqual("5", call[3], "each argument is passed as one, spaces kept, never joined into a command line");
        Assert.AreEqual("contoso", call[1]);
        using var info = JsonDocument.Parse(call[2]);
        Assert.AreEqual("client.authentication.k8s.io/v1", info.RootElement.GetProperty("apiVersion").GetString());
        Assert.AreEqual("ExecCredential", info.RootElement.GetProperty("kind").GetString());
        Assert.IsFalse(info.RootElement.GetProperty("spec").GetProperty("interactive").GetBoolean());
        Assert.AreEqual("https://aks.example:443", info.RootElement.GetProperty("spec").GetProperty("cluster").GetProperty("server").GetString());
        Assert.IsTrue(info.RootElement.GetProperty("spec").GetProperty("cluster").GetProperty("insecure-skip-tls-verify").GetBoolean());
    }

    [TestMethod]
    public async Task A_failing_exec_plugin_reports_its_exit_code_and_stderr()
    {
        using var files = new KubeconfigFiles();
        var plugin = files.Write("kubelogin", "#!/bin/sh\necho 'AADSTS700016: application not found' >&2\nexit 3\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = files.Write("config", $$$"""
            clusters: [{name: c, cluster: {server: "https://k.example"}}]
            users:
            - name: u
              user:
                exec:
                  command: "{{{plugin}}}"
            contexts: [{name: x, context: {cluster: c, user: u}}]
            """);

        var error = await Assert.ThrowsExactlyAsync<KubernetesConfigException>(
            async () => await KubeconfigResolver.ResolveAsync(await KubeconfigLoader.LoadAsync([path], CancellationToken.None), "x"));

        Assert.AreEqual($"The exec credential plugin '{plugin}' of kubeconfig user 'u' failed with exit code 3: AADSTS700016: application not found", error.Message);
    }
}
