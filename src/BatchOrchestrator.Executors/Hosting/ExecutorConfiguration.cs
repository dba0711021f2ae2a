using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Aci;
using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Kubernetes.Auth;
using BatchOrchestrator.Executors.Kubernetes.Config;

namespace BatchOrchestrator.Executors.Hosting;

/// <summary>
/// The container executors of this host, from its environment (never from workflow files).
/// See docs/executors.md for the variables. An executor that is not configured, or whose
/// settings do not work, is still registered — as an <see cref="UnconfiguredExecutor"/> whose
/// tasks fail with what to set — so a workflow's local tasks run either way.
/// </summary>
public static class ExecutorConfiguration
{
    /// <summary>The Key Vault of ACI's <c>container.secrets</c> (unless BO_ACI_KEYVAULT_URI names another), and of the <c>keyvault</c> secret store.</summary>
    public const string KeyVaultUriVariable = "BO_KEYVAULT_URI";

    public const string KubernetesHint =
        "container.executor 'kubernetes' is not configured on this host: set BO_KUBERNETES=1 (kubeconfig current context, or the pod's service account in a cluster), " +
        "or BO_KUBERNETES_CONTEXT=<context>; KUBECONFIG and BO_KUBERNETES_NAMESPACE are optional; " +
        "or, without a kubeconfig (an Azure Functions app), BO_KUBERNETES_SERVER=https://<AKS API server> with BO_KUBERNETES_CA (see docs/executors.md)";

    public const string AciHint =
        "container.executor 'aci' is not configured on this host: set BO_ACI_SUBSCRIPTION, BO_ACI_RESOURCE_GROUP and BO_ACI_LOCATION " +
        "(and BO_ACI_IDENTITY for private registries, BO_ACI_KEYVAULT_URI for container.secrets; see docs/executors.md)";

    /// <summary>The executors' factories, each made over the engine's masking log store.</summary>
    public static async Task<IReadOnlyList<Func<ILogStore, ICommandExecutor>>> ReadAsync(
        IReadOnlyDictionary<string, string> environment, ExecutorConfigurationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        options ??= new ExecutorConfigurationOptions();
        return [await KubernetesAsync(environment, options, cancellationToken).ConfigureAwait(false), Aci(environment, options)];
    }

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);

    private static async Task<Func<ILogStore, ICommandExecutor>> KubernetesAsync(
        IReadOnlyDictionary<string, string> env, ExecutorConfigurationOptions options, CancellationToken cancellationToken)
    {
        const string name = KubernetesCommandExecutor.ExecutorName;
        var switchedOn = Value(env, "BO_KUBERNETES");
        var context = Value(env, "BO_KUBERNETES_CONTEXT");
        var disabled = switchedOn is "0" or "false";
        var enabled = switchedOn is "1" or "true" || context is not null || Value(env, ApiServerConfig.ServerVariable) is not null || InClusterConfig.IsAvailable(env);
        if (disabled || !enabled)
        {
            return _ => new UnconfiguredExecutor(name, KubernetesHint);
        }

        try
        {
            var target = await KubernetesTargetAsync(env, context, options, cancellationToken).ConfigureAwait(false);
            var executorOptions = options.Kubernetes with
            {
                Namespace = Value(env, "BO_KUBERNETES_NAMESPACE") ?? target.Namespace ?? "default",
            };
            return logs => new KubernetesCommandExecutor(KubernetesClients.Create(target.Connection, executorOptions.Time), logs, executorOptions, ownsClient: true);
        }
        catch (KubernetesConfigException e)
        {
            var message = $"container.executor 'kubernetes' is configured on this host but unusable: {e.Message}";
            return _ => new UnconfiguredExecutor(name, message);
        }
    }

    /// <summary>
    /// The cluster the host names, shared by the executor and the Kubernetes secret store: the API
    /// server of BO_KUBERNETES_SERVER (with BO_KUBERNETES_CA, signed in with the host's Entra ID
    /// identity) for hosts without a kubeconfig; else a kubeconfig when one is named
    /// (BO_KUBERNETES_CONTEXT, KUBECONFIG) or not in a pod; the pod's service account otherwise.
    /// BO_KUBERNETES_AUTH=entra replaces a kubeconfig user's credentials with Entra ID tokens; a
    /// <c>kubelogin</c> exec user is given them too when no <c>kubelogin</c> is on PATH
    /// (BO_KUBERNETES_AUTH=kubeconfig turns that off).
    /// </summary>
    public static async Task<KubernetesTarget> KubernetesTargetAsync(
        IReadOnlyDictionary<string, string> env, string? context, ExecutorConfigurationOptions options, CancellationToken cancellationToken)
    {
        var auth = Value(env, "BO_KUBERNETES_AUTH");
        if (auth is not (null or "entra" or "kubeconfig"))
        {
            throw new KubernetesConfigException($"BO_KUBERNETES_AUTH is '{auth}': expected 'entra' or 'kubeconfig'.");
        }

        if (Value(env, ApiServerConfig.ServerVariable) is { } server)
        {
            if (context is not null)
            {
                throw new KubernetesConfigException($"Set {ApiServerConfig.ServerVariable} or BO_KUBERNETES_CONTEXT, not both: which cluster was meant is unclear.");
            }

            if (auth == "kubeconfig")
            {
                throw new KubernetesConfigException($"{ApiServerConfig.ServerVariable} signs in with the host's Entra ID identity (BO_KUBERNETES_AUTH=entra); BO_KUBERNETES_AUTH=kubeconfig needs a kubeconfig context instead.");
            }

            return ApiServerConfig.Load(server, Value(env, ApiServerConfig.CaVariable), new EntraTokenSource(options.Credential(), options.Time));
        }

        if (context is null && Value(env, "KUBECONFIG") is null && InClusterConfig.IsAvailable(env))
        {
            return await InClusterConfig.LoadAsync(env, options.ServiceAccountFolder, options.Time, cancellationToken).ConfigureAwait(false);
        }

        var paths = KubeconfigPaths.From(env);
        var config = await KubeconfigLoader.LoadAsync(paths, cancellationToken).ConfigureAwait(false);
        if (config.Files.Count == 0)
        {
            throw new KubernetesConfigException($"No kubeconfig file found (looked for {string.Join(", ", paths)}). Set KUBECONFIG or run `az aks get-credentials`.");
        }

        var entra = auth == "entra" || (auth is null && UsesMissingKubelogin(config, context, env));
        IRenewableTokenProvider? token = entra ? new EntraTokenSource(options.Credential(), options.Time) : null;
        return await KubeconfigResolver.ResolveAsync(config, context, token, options.Time, cancellationToken).ConfigureAwait(false);
    }

    private static bool UsesMissingKubelogin(Kubeconfig config, string? context, IReadOnlyDictionary<string, string> env)
    {
        if ((context ?? config.CurrentContext) is not { } name
            || !config.Contexts.TryGetValue(name, out var ctx)
            || ctx.User is null
            || !config.Users.TryGetValue(ctx.User, out var user)
            || user.Exec is not { } exec
            || Path.GetFileName(exec.Command) != "kubelogin")
        {
            return false;
        }

        if (exec.Command.Contains('/', StringComparison.Ordinal))
        {
            return !File.Exists(exec.Command);
        }

        var path = Value(env, "PATH") ?? "";
        return !path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, "kubelogin")));
    }

    private static Func<ILogStore, ICommandExecutor> Aci(IReadOnlyDictionary<string, string> env, ExecutorConfigurationOptions options)
    {
        const string name = AciCommandExecutor.ExecutorName;
        string[] required = ["BO_ACI_SUBSCRIPTION", "BO_ACI_RESOURCE_GROUP", "BO_ACI_LOCATION"];
        var missing = required.Where(key => Value(env, key) is null).ToList();
        if (missing.Count == required.Length)
        {
            return _ => new UnconfiguredExecutor(name, AciHint);
        }

        if (missing.Count > 0)
        {
            var message = $"container.executor 'aci' is configured on this host but incomplete: {string.Join(", ", missing)} not set (BO_ACI_SUBSCRIPTION, BO_ACI_RESOURCE_GROUP and BO_ACI_LOCATION go together).";
            return _ => new UnconfiguredExecutor(name, message);
        }

        var aciOptions = new AciExecutorOptions
        {
            SubscriptionId = Value(env, "BO_ACI_SUBSCRIPTION")!,
            ResourceGroup = Value(env, "BO_ACI_RESOURCE_GROUP")!,
            Location = Value(env, "BO_ACI_LOCATION")!,
            IdentityResourceId = Value(env, "BO_ACI_IDENTITY"),
        };
        var vault = Value(env, "BO_ACI_KEYVAULT_URI") ?? Value(env, KeyVaultUriVariable);
        if (vault is not null)
        {
            if (!TryVaultUri(vault, out var vaultUri))
            {
                var message = $"container.executor 'aci' is configured on this host but unusable: the Key Vault URI '{vault}' is not an https URI such as https://myvault.vault.azure.net/";
                return _ => new UnconfiguredExecutor(name, message);
            }

            aciOptions = aciOptions with { KeyVaultUri = vaultUri };
        }

        return logs => new AciCommandExecutor(logs, options.Credential(), aciOptions, clock: options.Time, keyVaultOptions: options.KeyVaultClientOptions());
    }

    /// <summary>An https URI of a Key Vault.</summary>
    public static bool TryVaultUri(string text, out Uri uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri!) && uri.Scheme == Uri.UriSchemeHttps;

    /// <summary>A variable's value, or null when it is unset or blank.</summary>
    public static string? Value(IReadOnlyDictionary<string, string> env, string key) =>
        env.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
