using System.Text.Json;
using System.Text.RegularExpressions;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// One entry of <c>container.secrets</c> for ACI: a secret in the host's Key Vault that becomes
/// an environment variable of the container (a secure value). <c>etl-db-password</c> gives
/// <c>ETL_DB_PASSWORD</c> (upper case, <c>-</c> → <c>_</c>); <c>DB_PASSWORD=etl-db-password</c>
/// names the variable. The same key on Kubernetes names Secrets for <c>envFrom</c>.
/// </summary>
public sealed partial record AciSecretReference(string Variable, string SecretName)
{
    /// <summary>How the entry is written in the workflow (kept in the command state: names only, never values).</summary>
    public string Text => $"{Variable}={SecretName}";

    /// <exception cref="TaskFailure">An entry is not a Key Vault secret name (not retryable).</exception>
    public static IReadOnlyList<AciSecretReference> Read(JsonElement? container)
    {
        if (container is not { ValueKind: JsonValueKind.Object } settings || !settings.TryGetProperty("secrets", out var secrets) || secrets.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        IEnumerable<JsonElement> entries = secrets.ValueKind == JsonValueKind.Array ? secrets.EnumerateArray() : [secrets];
        return [.. entries.Select(e => e.ValueKind == JsonValueKind.String ? Parse(e.GetString()!) : throw Invalid(e.GetRawText()))];
    }

    /// <exception cref="TaskFailure">The entry is not a Key Vault secret name (not retryable).</exception>
    public static AciSecretReference Parse(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        var secret = (equals < 0 ? entry : entry[(equals + 1)..]).Trim();
        var variable = equals < 0 ? secret.ToUpperInvariant().Replace('-', '_') : entry[..equals].Trim();
        return SecretNamePattern().IsMatch(secret) && VariablePattern().IsMatch(variable) ? new AciSecretReference(variable, secret) : throw Invalid(entry);
    }

    private static TaskFailure Invalid(string entry) => new(
        $"container.secrets for executor aci must list Key Vault secret names ([0-9a-zA-Z-], e.g. etl-db-password), optionally as VARIABLE=secret-name; got '{entry}'",
        retryable: false);

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex SecretNamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariablePattern();
}
