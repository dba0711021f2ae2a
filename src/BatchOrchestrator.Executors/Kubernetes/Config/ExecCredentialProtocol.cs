using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Executors.Kubernetes.Config;

/// <summary>What an exec plugin answered (<c>ExecCredential.status</c>).</summary>
/// <param name="Token">The bearer token, or null when the plugin gives a client certificate.</param>
/// <param name="ClientCertificateData">PEM of the client certificate, or null.</param>
/// <param name="ClientKeyData">PEM of its private key, or null.</param>
/// <param name="Expires">When to ask again; null: keep until the server refuses it.</param>
public sealed record ExecCredential(string? Token, string? ClientCertificateData, string? ClientKeyData, DateTimeOffset? Expires);

/// <summary>
/// The <c>client.authentication.k8s.io</c> exec protocol: the request passed in
/// <c>KUBERNETES_EXEC_INFO</c> and the <c>ExecCredential</c> read from the plugin's stdout.
/// </summary>
public static class ExecCredentialProtocol
{
    public const string ApiVersion = "client.authentication.k8s.io/v1";

    /// <summary>The <c>KUBERNETES_EXEC_INFO</c> value. The engine never has a terminal, so it is never interactive.</summary>
    public static string ExecInfo(KubeconfigExec exec, KubeconfigCluster? cluster)
    {
        ArgumentNullException.ThrowIfNull(exec);
        var spec = new JsonObject { ["interactive"] = false };
        if (exec.ProvideClusterInfo && cluster is not null)
        {
            var info = new JsonObject { ["server"] = cluster.Server };
            if (cluster.TlsServerName is { } tls)
            {
                info["tls-server-name"] = tls;
            }

            if (cluster.InsecureSkipTlsVerify)
            {
                info["insecure-skip-tls-verify"] = true;
            }

            if (cluster.CertificateAuthorityData is { } ca)
            {
                info["certificate-authority-data"] = ca;
            }

            spec["cluster"] = info;
        }

        return new JsonObject { ["apiVersion"] = exec.ApiVersion, ["kind"] = "ExecCredential", ["spec"] = spec }.ToJsonString();
    }

    /// <summary>Reads the plugin's stdout; <paramref name="what"/> names the plugin in errors.</summary>
    public static ExecCredential Parse(string stdout, string what)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(stdout).RootElement;
        }
        catch (JsonException e)
        {
            throw new KubernetesConfigException($"{what} did not print an ExecCredential (JSON): {e.Message}", e);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
        {
            throw new KubernetesConfigException($"{what} printed no ExecCredential status.");
        }

        var token = Text(status, "token");
        var cert = Text(status, "clientCertificateData");
        var key = Text(status, "clientKeyData");
        if (token is null && (cert is null || key is null))
        {
            throw new KubernetesConfigException($"{what} gave neither status.token nor status.clientCertificateData with clientKeyData.");
        }

        DateTimeOffset? expires = null;
        if (Text(status, "expirationTimestamp") is { } stamp)
        {
            expires = DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw new KubernetesConfigException($"{what} gave an unreadable status.expirationTimestamp '{stamp}' (expected RFC 3339).");
        }

        return new ExecCredential(token, cert, key, expires);
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}
