using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BatchOrchestrator.Executors.Kubernetes.Config;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Config;

/// <summary>The parser and merge rules agree with kubectl's own (<c>kubectl config view --raw --flatten -o json</c>).</summary>
[TestClass]
public sealed class KubeconfigKubectlTests
{
    private const string Kubectl = "/usr/bin/kubectl";

    private const string First = """
        apiVersion: v1
        kind: Config
        current-context: ctx-a
        clusters:
        - name: c1
          cluster:
            server: https://a.example:6443
            certificate-authority: ca.pem
        users:
        - name: u-cert
          user:
            client-certificate: certs/client.crt
            client-key: certs/client.key
        - name: u-exec
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: ./bin/plugin
              args: [get-token, --server-id, abc]
              env:
              - name: AZURE_CONFIG_DIR
                value: /tmp/az
        contexts:
        - name: ctx-a
          context: {cluster: c1, user: u-cert, namespace: batch}
        """;

    private const string Second = """
        apiVersion: v1
        kind: Config
        current-context: ctx-b
        clusters:
        - name: c1
          cluster: {server: https://loses.example}
        - name: c2
          cluster: {server: https://c2.example, certificate-authority-data: Q0EtMgo=, tls-server-name: kube.internal}
        - name: c3
          cluster: {server: https://c3.example, insecure-skip-tls-verify: true}
        users:
        - name: u-cert
          user: {token: loses}
        - name: u-file
          user: {tokenFile: secrets/token}
        - name: u-token
          user: {token: abc.def}
        - name: u-kl
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: kubelogin
              args: [get-token, --login, azurecli]
              provideClusterInfo: true
        contexts:
        - name: ctx-a
          context: {cluster: c3, user: u-file}
        - name: ctx-b
          context: {cluster: c2, user: u-kl, namespace: etl}
        - name: ctx-c
          context: {cluster: c3, user: u-token}
        """;

    [TestMethod]
    public async Task Merged_files_match_kubectl_config_view_field_by_field()
    {
        // tests/setup/kubectl.sh (run by tests/run.sh) installs it: a missing kubectl is a broken set-up, not a skip.
        Assert.IsTrue(File.Exists(Kubectl), $"{Kubectl} is not installed: run tests/setup/kubectl.sh");

        using var files = new KubeconfigFiles();
        files.Write("one/ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        files.Write("one/certs/client.crt", "client certificate\n");
        files.Write("one/certs/client.key", "client key\n");
        files.Write("two/secrets/token", "file-token\n");
        var first = files.Write("one/config", First);
        var second = files.Write("two/config", Second);
        var missing = Path.Combine(files.Root, "absent", "config");
        var kubeconfig = string.Join(':', first, missing, second);

        var config = await KubeconfigLoader.LoadAsync(KubeconfigPaths.From(new Dictionary<string, string> { ["KUBECONFIG"] = kubeconfig }), CancellationToken.None);
        var expected = Lines(await KubectlViewAsync(kubeconfig), config);
        var actual = Lines(config);

        Assert.AreEqual(string.Join('\n', expected), string.Join('\n', actual));
        Assert.AreEqual(second, config.Users["u-file"].SourceFile);
        Assert.AreEqual(Path.Combine(files.Root, "two", "secrets", "token"), config.Users["u-file"].TokenFile);
        Assert.AreEqual(Path.Combine(files.Root, "one", "bin", "plugin"), config.Users["u-exec"].Exec!.Command);
        Assert.AreEqual("kubelogin", config.Users["u-kl"].Exec!.Command);
    }

    private static async Task<JsonElement> KubectlViewAsync(string kubeconfig)
    {
        var start = new ProcessStartInfo(Kubectl, ["config", "view", "--raw", "--flatten", "-o", "json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["KUBECONFIG"] = kubeconfig;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.AreEqual(0, process.ExitCode, await stderr);
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }

    /// <summary>
    /// kubectl's view, one "entry/field=value" line per field. kubectl prints file paths as
    /// written (relative to the file that holds the entry); they are compared resolved, which is
    /// what the engine uses. <c>interactiveMode</c> is left out: the engine never prompts.
    /// </summary>
    private static List<string> Lines(JsonElement view, Kubeconfig parsed)
    {
        var lines = new List<string> { $"current-context={view.GetProperty("current-context").GetString()}" };
        foreach (var (list, item) in new[] { ("clusters", "cluster"), ("users", "user"), ("contexts", "context") })
        {
            foreach (var entry in view.GetProperty(list).EnumerateArray())
            {
                var name = entry.GetProperty("name").GetString()!;
                var folder = item == "user" ? Path.GetDirectoryName(parsed.Users[name].SourceFile)! : "/";
                Walk($"{item}/{name}", entry.GetProperty(item), lines, folder);
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static void Walk(string prefix, JsonElement node, List<string> lines, string folder)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in node.EnumerateObject().Where(p => p.Name != "interactiveMode"))
                {
                    Walk($"{prefix}.{p.Name}", p.Value, lines, folder);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in node.EnumerateArray())
                {
                    Walk($"{prefix}[{i++}]", item, lines, folder);
                }

                break;
            case JsonValueKind.Null:
                break;
            case JsonValueKind.False when prefix.EndsWith(".provideClusterInfo", StringComparison.Ordinal):
                break;
            case JsonValueKind.String when prefix.EndsWith(".tokenFile", StringComparison.Ordinal) || (prefix.EndsWith(".exec.command", StringComparison.Ordinal) && node.GetString()!.Contains('/', StringComparison.Ordinal)):
                lines.Add($"{prefix}={Path.GetFullPath(node.GetString()!, folder)}");
                break;
            default:
                lines.Add($"{prefix}={node}");
                break;
        }
    }

    /// <summary>The parsed config in the same form, flattened as kubectl does (files inlined as base64).</summary>
    private static List<string> Lines(Kubeconfig config)
    {
        var lines = new List<string> { $"current-context={config.CurrentContext}" };
        foreach (var c in config.Clusters.Values)
        {
            Add(lines, $"cluster/{c.Name}.server", c.Server);
            Add(lines, $"cluster/{c.Name}.certificate-authority-data", c.CertificateAuthorityData ?? Inline(c.CertificateAuthority));
            Add(lines, $"cluster/{c.Name}.tls-server-name", c.TlsServerName);
            Add(lines, $"cluster/{c.Name}.insecure-skip-tls-verify", c.InsecureSkipTlsVerify ? "True" : null);
        }

        foreach (var u in config.Users.Values)
        {
            Add(lines, $"user/{u.Name}.token", u.Token);
            Add(lines, $"user/{u.Name}.tokenFile", u.TokenFile);
            Add(lines, $"user/{u.Name}.client-certificate-data", u.ClientCertificateData ?? Inline(u.ClientCertificate));
            Add(lines, $"user/{u.Name}.client-key-data", u.ClientKeyData ?? Inline(u.ClientKey));
            if (u.Exec is { } exec)
            {
                Add(lines, $"user/{u.Name}.exec.command", exec.Command);
                Add(lines, $"user/{u.Name}.exec.apiVersion", exec.ApiVersion);
                Add(lines, $"user/{u.Name}.exec.provideClusterInfo", exec.ProvideClusterInfo ? "True" : null);
                for (var i = 0; i < exec.Args.Count; i++)
                {
                    Add(lines, $"user/{u.Name}.exec.args[{i}]", exec.Args[i]);
                }

                for (var i = 0; i < exec.Env.Count; i++)
                {
                    Add(lines, $"user/{u.Name}.exec.env[{i}].name", exec.Env[i].Key);
                    Add(lines, $"user/{u.Name}.exec.env[{i}].value", exec.Env[i].Value);
                }
            }
        }

        foreach (var c in config.Contexts.Values)
        {
            Add(lines, $"context/{c.Name}.cluster", c.Cluster);
            Add(lines, $"context/{c.Name}.user", c.User);
            Add(lines, $"context/{c.Name}.namespace", c.Namespace);
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static void Add(List<string> lines, string key, string? value)
    {
        if (value is not null)
        {
            lines.Add($"{key}={value}");
        }
    }

    private static string? Inline(string? path) => path is null ? null : Convert.ToBase64String(File.ReadAllBytes(path));
}
