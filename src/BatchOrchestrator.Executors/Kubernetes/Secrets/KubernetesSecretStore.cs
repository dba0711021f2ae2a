using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Executors.Kubernetes.Api;
using BatchOrchestrator.Executors.Kubernetes.Jobs;

namespace BatchOrchestrator.Executors.Kubernetes.Secrets;

/// <summary>
/// A project's secrets in a Kubernetes Secret: each key of <c>${secret:key}</c> is a key of the
/// Secret's <c>data</c> (Secret keys allow <c>[-._a-zA-Z0-9]</c>, which every valid secret key
/// fits). Which Secret is named by a template where <c>{project}</c> stands for the project's
/// name (<see cref="DefaultNameTemplate"/>), or a fixed name shared by every project.
/// <para>Guarantees:</para>
/// <list type="bullet">
/// <item>Each read is one GET of the Secret (so a value changed with <c>kubectl</c> is seen by the
/// next task); a key the Secret lacks is "not set"; a Secret that does not exist, or a project whose
/// name makes no valid Secret name, is a <see cref="SecretStoreException"/> saying what to create.</item>
/// <item>Set and delete are JSON merge patches of one key, so they never overwrite keys set by
/// others in between; set creates the Secret when there is none.</item>
/// </list>
/// Needs <c>get</c> on secrets to read, and <c>create</c> and <c>patch</c> to write (see infra/k8s).
/// </summary>
public sealed class KubernetesSecretStore : ISecretStore, IDisposable
{
    public const string DefaultNameTemplate = "bo-secrets-{project}";

    private readonly KubernetesApi _api;
    private readonly bool _ownsApi;

    public KubernetesSecretStore(KubernetesApi api, string ns, string nameTemplate = DefaultNameTemplate, bool ownsApi = false)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentException.ThrowIfNullOrWhiteSpace(ns);
        ArgumentException.ThrowIfNullOrWhiteSpace(nameTemplate);
        _api = api;
        Namespace = ns;
        NameTemplate = nameTemplate;
        _ownsApi = ownsApi;
    }

    public string Namespace { get; }

    public string NameTemplate { get; }

    /// <summary>The name of the project's Secret.</summary>
    /// <exception cref="SecretStoreException">The name is not a valid Secret name (a DNS subdomain).</exception>
    public string SecretNameOf(string project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var name = NameTemplate.Replace("{project}", project, StringComparison.Ordinal);
        var valid = name.Length is > 0 and <= 253
            && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.')
            && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);
        return valid
            ? name
            : throw new SecretStoreException($"project '{project}' gives the Kubernetes Secret name '{name}', which Kubernetes does not allow (lowercase letters, digits, '-' and '.'); set BO_SECRETS_KUBERNETES_SECRET to a name template that works, e.g. bo-secrets-etl");
    }

    public async Task<string?> GetAsync(string project, string key, CancellationToken cancellationToken)
    {
        var data = await DataAsync(project, cancellationToken).ConfigureAwait(false)
            ?? throw new SecretStoreException(
                $"the Kubernetes Secret {SecretNameOf(project)} does not exist in namespace {Namespace} " +
                $"(create it: kubectl create secret generic {SecretNameOf(project)} -n {Namespace} --from-literal={key}=...)");
        return data.TryGetValue(key, out var value) ? value : null;
    }

    public async Task SetAsync(string project, string key, string value, CancellationToken cancellationToken)
    {
        SecretNames.Validate(key);
        ArgumentNullException.ThrowIfNull(value);
        var name = SecretNameOf(project);
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        await CallAsync("write", project, async () =>
        {
            // Twice at most: the Secret may be created by someone else between our patch and our create.
            for (var round = 0; ; round++)
            {
                if (await _api.PatchSecretAsync(Namespace, name, new JsonObject { ["data"] = new JsonObject { [key] = encoded } }, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                try
                {
                    await _api.CreateSecretAsync(Namespace, NewSecret(name, key, encoded), cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (KubernetesApiException e) when (e.Reason == "AlreadyExists" && round == 0)
                {
                    // Created meanwhile: patch it.
                }
            }
        }).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(string project, string key, CancellationToken cancellationToken)
    {
        if (await DataAsync(project, cancellationToken).ConfigureAwait(false) is not { } data || !data.ContainsKey(key))
        {
            return false;
        }

        var name = SecretNameOf(project);
        return await CallAsync("write", project, () => _api.PatchSecretAsync(Namespace, name, new JsonObject { ["data"] = new JsonObject { [key] = null } }, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListAsync(string project, CancellationToken cancellationToken) =>
        (await DataAsync(project, cancellationToken).ConfigureAwait(false) is { } data ? data.Keys.Where(SecretNames.IsValid) : []).Order(StringComparer.Ordinal).ToList();

    public void Dispose()
    {
        if (_ownsApi)
        {
            _api.Dispose();
        }
    }

    /// <summary>The decoded data of the project's Secret, or null when it does not exist.</summary>
    private async Task<Dictionary<string, string>?> DataAsync(string project, CancellationToken cancellationToken)
    {
        var name = SecretNameOf(project);
        var secret = await CallAsync("read", project, () => _api.GetSecretAsync(Namespace, name, cancellationToken)).ConfigureAwait(false);
        if (secret is not { } found)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (found.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            foreach (var item in data.EnumerateObject())
            {
                values[item.Name] = Encoding.UTF8.GetString(Convert.FromBase64String(item.Value.GetString() ?? ""));
            }
        }

        return values;
    }

    private JsonObject NewSecret(string name, string key, string encoded) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject { [JobLabels.ManagedBy] = JobLabels.ManagedByValue },
        },
        ["type"] = "Opaque",
        ["data"] = new JsonObject { [key] = encoded },
    };

    /// <summary>Runs an API call, turning the API's refusals into store errors that say what is missing (never a value).</summary>
    private async Task<T> CallAsync<T>(string action, string project, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (KubernetesApiException e)
        {
            var hint = e.Code == System.Net.HttpStatusCode.Forbidden
                ? $" (the host's service account needs {(action == "read" ? "get" : "get, create and patch")} on secrets in namespace {Namespace}; see infra/k8s)"
                : "";
            throw new SecretStoreException($"cannot {action} the Kubernetes Secret {SecretNameOf(project)} in namespace {Namespace}: {e.Message}{hint}", e);
        }
        catch (HttpRequestException e)
        {
            throw new SecretStoreException($"cannot {action} the Kubernetes Secret {SecretNameOf(project)}: the API server cannot be reached ({e.Message})", e);
        }
    }

    private Task<bool> CallAsync(string action, string project, Func<Task> call) =>
        CallAsync(action, project, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        });
}
