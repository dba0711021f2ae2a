using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Executors.Hosting;
using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Kubernetes.Secrets;
using BatchOrchestrator.Storage.Files;
using BatchOrchestrator.Storage.KeyVault;

namespace BatchOrchestrator.Server.Local;

/// <summary>The host's secret store, from its environment (docs/secrets.md).</summary>
public static class SecretStoreConfiguration
{
    /// <summary>The Key Vault of the <c>keyvault</c> secret store, and of ACI's <c>container.secrets</c> unless BO_ACI_KEYVAULT_URI names another.</summary>
    public const string KeyVaultUriVariable = ExecutorConfiguration.KeyVaultUriVariable;

    /// <summary>
    /// The store <c>${secret:...}</c> reads, chosen by <c>BO_SECRETS</c>: <c>file</c> (the default:
    /// <c>secrets.enc</c> in the state folder, with <paramref name="key"/>), <c>keyvault</c>
    /// (<c>BO_KEYVAULT_URI</c>, the host's Azure credential) or <c>kubernetes</c> (a Secret per
    /// project, through the same cluster settings as the Kubernetes executor). Settings that do
    /// not work give a store whose every call fails with the reason, so tasks that use no secret
    /// still run. The caller disposes the store when it is <see cref="IDisposable"/>.
    /// </summary>
    public static async Task<ISecretStore> SecretStoreAsync(
        IReadOnlyDictionary<string, string> environment, string stateDirectory, SecretKeySource key, ExecutorConfigurationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        options ??= new ExecutorConfigurationOptions();
        switch (ExecutorConfiguration.Value(environment, "BO_SECRETS") ?? "file")
        {
            case "file":
                return EncryptedFileSecretStore.InStateFolder(stateDirectory, key);
            case "keyvault":
                return ExecutorConfiguration.Value(environment, KeyVaultUriVariable) is not { } vault
                    ? new UnusableSecretStore($"BO_SECRETS=keyvault needs {KeyVaultUriVariable}, the vault's URI (e.g. https://myvault.vault.azure.net/)")
                    : ExecutorConfiguration.TryVaultUri(vault, out var uri)
                        ? new KeyVaultSecretStore(uri, options.Credential(), options.KeyVaultClientOptions())
                        : new UnusableSecretStore($"{KeyVaultUriVariable} is '{vault}': expected an https URI such as https://myvault.vault.azure.net/");
            case "kubernetes":
                try
                {
                    var target = await ExecutorConfiguration.KubernetesTargetAsync(environment, ExecutorConfiguration.Value(environment, "BO_KUBERNETES_CONTEXT"), options, cancellationToken).ConfigureAwait(false);
                    var ns = ExecutorConfiguration.Value(environment, "BO_SECRETS_KUBERNETES_NAMESPACE") ?? ExecutorConfiguration.Value(environment, "BO_KUBERNETES_NAMESPACE") ?? target.Namespace ?? "default";
                    var template = ExecutorConfiguration.Value(environment, "BO_SECRETS_KUBERNETES_SECRET") ?? KubernetesSecretStore.DefaultNameTemplate;
                    return new KubernetesSecretStore(KubernetesClients.Create(target.Connection), ns, template, ownsClient: true);
                }
                catch (KubernetesConfigException e)
                {
                    return new UnusableSecretStore($"BO_SECRETS=kubernetes cannot reach the cluster: {e.Message}");
                }

            case var other:
                return new UnusableSecretStore($"BO_SECRETS is '{other}': expected file, keyvault or kubernetes");
        }
    }
}

/// <summary>A secret store the host's settings do not make work: every call fails with why (tasks without secrets are unaffected).</summary>
internal sealed class UnusableSecretStore(string reason) : ISecretStore
{
    public Task<string?> GetAsync(string project, string key, CancellationToken cancellationToken) => Task.FromException<string?>(new SecretStoreException(reason));

    public Task SetAsync(string project, string key, string value, CancellationToken cancellationToken) => Task.FromException(new SecretStoreException(reason));

    public Task<bool> DeleteAsync(string project, string key, CancellationToken cancellationToken) => Task.FromException<bool>(new SecretStoreException(reason));

    public Task<IReadOnlyList<string>> ListAsync(string project, CancellationToken cancellationToken) => Task.FromException<IReadOnlyList<string>>(new SecretStoreException(reason));
}
