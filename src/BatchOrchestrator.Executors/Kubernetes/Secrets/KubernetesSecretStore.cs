using System.Text;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Kubernetes.Jobs;
using k8s;
using k8s.Autorest;
using k8s.Models;

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

    private readonly IKubernetes _client;
    private readonly bool _ownsClient;

    public KubernetesSecretStore(IKubernetes client, string ns, string nameTemplate = DefaultNameTemplate, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(ns);
        ArgumentException.ThrowIfNullOrWhiteSpace(nameTemplate);
        _client = client;
        Namespace = ns;
        NameTemplate = nameTemplate;
        _ownsClient = ownsClient;
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
        await CallAsync("write", project, async () =>
        {
            // Twice at most: the Secret may be created by someone else between our patch and our create.
            for (var round = 0; ; round++)
            {
                if (await PatchAsync(name, key, Convert.ToBase64String(Encoding.UTF8.GetBytes(value)), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                try
                {
                    await _client.CoreV1.CreateNamespacedSecretAsync(NewSecret(name, key, value), Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (HttpOperationException e) when (e.IsAlreadyExists() && round == 0)
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
        return await CallAsync("write", project, () => PatchAsync(name, key, null, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListAsync(string project, CancellationToken cancellationToken) =>
        (await DataAsync(project, cancellationToken).ConfigureAwait(false) is { } data ? data.Keys.Where(SecretNames.IsValid) : []).Order(StringComparer.Ordinal).ToList();

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>A JSON merge patch of one key (null removes it); false when there is no such Secret.</summary>
    private async Task<bool> PatchAsync(string name, string key, string? encoded, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(new Dictionary<string, object> { ["data"] = new Dictionary<string, string?> { [key] = encoded } }, V1Patch.PatchType.MergePatch);
        try
        {
            await _client.CoreV1.PatchNamespacedSecretAsync(patch, name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.IsNotFound())
        {
            return false;
        }
    }

    /// <summary>The decoded data of the project's Secret, or null when it does not exist.</summary>
    private async Task<Dictionary<string, string>?> DataAsync(string project, CancellationToken cancellationToken)
    {
        var name = SecretNameOf(project);
        var secret = await CallAsync("read", project, async () =>
        {
            try
            {
                return await _client.CoreV1.ReadNamespacedSecretAsync(name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.IsNotFound())
            {
                return null;
            }
        }).ConfigureAwait(false);
        return secret?.Data?.ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value), StringComparer.Ordinal)
            ?? (secret is null ? null : new Dictionary<string, string>(StringComparer.Ordinal));
    }

    private V1Secret NewSecret(string name, string key, string value) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string> { [JobLabels.ManagedBy] = JobLabels.ManagedByValue },
        },
        Type = "Opaque",
        Data = new Dictionary<string, byte[]> { [key] = Encoding.UTF8.GetBytes(value) },
    };

    /// <summary>Runs an API call, turning the API's refusals into store errors that say what is missing (never a value).</summary>
    private async Task<T> CallAsync<T>(string action, string project, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            var hint = e.Code() == System.Net.HttpStatusCode.Forbidden
                ? $" (the host's service account needs {(action == "read" ? "get" : "get, create and patch")} on secrets in namespace {Namespace}; see infra/k8s)"
                : "";
            throw new SecretStoreException($"cannot {action} the Kubernetes Secret {SecretNameOf(project)} in namespace {Namespace}: {e.Describe()}{hint}", e);
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
