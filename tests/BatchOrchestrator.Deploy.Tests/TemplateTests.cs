using System.Reflection;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchOrchestrator.Deploy.Tests.Arm;
using BatchOrchestrator.Deploy.Tests.Support;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Executors.Hosting;
using BatchOrchestrator.Functions.Composition;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Files;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;

namespace BatchOrchestrator.Deploy.Tests;

/// <summary>
/// The compiled template (the ARM JSON of <c>bicep build infra/main.bicep</c>), deployed into a
/// simulated subscription, against what the app needs: the Functions composition runs with the
/// app settings the template sets and every setting it reads is accounted for; each setting that
/// names an Azure resource names one the template creates, on which the app's identity has the
/// roles the setting's use needs; host.json's task hub and storage connection, and azure.yaml's
/// service, fit the template. Without this, a missing setting or role shows only after
/// `azd up`, as a 403 or as data kept on one instance's disk.
/// </summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed partial class TemplateTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Azd_sets_every_parameter_main_bicep_requires_and_only_declared_ones()
    {
        var declared = (JsonObject)(await BicepCli.MainTemplateAsync())["parameters"]!;
        var file = (JsonObject)JsonNode.Parse(Repository.Read("infra/main.parameters.json"))!["parameters"]!;

        foreach (var (name, _) in file)
        {
            Assert.IsTrue(declared.ContainsKey(name), $"main.parameters.json sets '{name}', which main.bicep does not declare");
        }

        foreach (var (name, definition) in declared)
        {
            Assert.IsTrue(((JsonObject)definition!).ContainsKey("defaultValue") || file.ContainsKey(name), $"main.bicep requires '{name}', which main.parameters.json does not set");
        }

        // And azd's substitutions give each its declared type (a bool parameter gets "true"/"false").
        Assert.HasCount(file.Count, Provisioned.AzdParameters((await BicepCli.MainTemplateAsync()), Provisioned.EnvironmentNamed("containers")));
    }

    [TestMethod]
    [DataRow("minimal")]
    [DataRow("containers")]
    public async Task The_composition_reads_no_setting_the_template_lacks_and_the_template_sets_none_it_ignores(string environment)
    {
        var provisioned = await Provisioned.ProvisionAsync(environment);

        var read = await ComposeAsync(provisioned);

        var unexplained = read.Where(name => !provisioned.AppSettings.ContainsKey(name) && WhyUnset(name, provisioned) is null).ToList();
        Assert.IsEmpty(unexplained, $"The Functions composition reads {string.Join(", ", unexplained)}, which the template does not set (infra/modules/functionapp.bicep); set it there, or say here why the app needs none.");

        // The other way round: a BO_ setting no code reads is a setting someone believes works.
        var hostJsonNames = HostJsonSetting().Matches(Repository.Read("host.json")).Select(m => m.Groups["name"].Value);
        var ignored = provisioned.AppSettings.Keys.Where(k => k.StartsWith("BO_", StringComparison.Ordinal)).Except(read).Except(hostJsonNames).ToList();
        Assert.IsEmpty(ignored, $"The template sets {string.Join(", ", ignored)}, which neither the composition nor host.json reads.");
    }

    [TestMethod]
    [DataRow("minimal")]
    [DataRow("containers")]
    public async Task Every_blob_store_the_composition_configures_is_a_container_the_identity_may_write(string environment)
    {
        var provisioned = await Provisioned.ProvisionAsync(environment);
        var read = await ComposeAsync(provisioned);

        // The stores' settings come from their configuration classes (LogStoreConfiguration, ...): every one the composition consults.
        var stores = typeof(LogStoreConfiguration).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(LogStoreConfiguration).Namespace && t.GetField("AccountUrlVariable") is not null && t.GetField("ContainerVariable") is not null)
            .Where(t => read.Contains(Constant(t, "AccountUrlVariable")))
            .ToList();
        Assert.IsGreaterThanOrEqualTo(4, stores.Count, "the log, param, run and project stores are configured by their Blob settings");

        var settings = provisioned.AppSettings;
        foreach (var store in stores)
        {
            var urlSetting = Constant(store, "AccountUrlVariable");
            Assert.IsFalse(settings.ContainsKey(Constant(store, "ConnectionStringVariable")), $"{store.Name}: a connection string carries an account key, and the account takes none");
            Assert.IsTrue(settings.TryGetValue(urlSetting, out var url), $"{store.Name}: the template does not set {urlSetting}, so the app keeps that data on one instance's disk");

            var account = provisioned.WithRuntime("Microsoft.Storage/storageAccounts", url, "primaryEndpoints", "blob");
            Assert.IsNotNull(account, $"{urlSetting}={url} is no storage account the template creates");
            Assert.IsFalse(account.Properties["allowSharedKeyAccess"]?.GetValue<bool>() ?? true, $"{account.Name} allows shared keys; the app signs in as its identity");

            var container = settings.TryGetValue(Constant(store, "ContainerVariable"), out var named) ? named : Constant(store, "DefaultContainer");
            var containerId = $"{account.Id}/blobServices/default/containers/{container}";
            Assert.IsTrue(provisioned.Arm.Resources.Any(r => r.Id.Equals(containerId, StringComparison.OrdinalIgnoreCase)), $"{store.Name}: container '{container}' is not created on {account.Name}");
            Assert.IsTrue(provisioned.IdentityHas(containerId, AzureRoles.StorageBlobDataOwner, AzureRoles.StorageBlobDataContributor), $"{store.Name}: {provisioned.DescribeIdentityRoles(containerId)}; it writes blobs there");
        }
    }

    [TestMethod]
    public async Task Project_secrets_are_in_a_vault_the_identity_may_read_and_write()
    {
        var provisioned = await Provisioned.ProvisionAsync("minimal");
        var settings = provisioned.AppSettings;

        // File secrets would live on one instance's disk, unseen by the others.
        Assert.AreEqual("keyvault", settings.GetValueOrDefault(AzureComposition.SecretsSetting), $"{AzureComposition.SecretsSetting}");
        Assert.IsTrue(settings.TryGetValue(ExecutorConfiguration.KeyVaultUriVariable, out var uri), $"BO_SECRETS=keyvault needs {ExecutorConfiguration.KeyVaultUriVariable}");

        var vault = provisioned.WithRuntime("Microsoft.KeyVault/vaults", uri, "vaultUri");
        Assert.IsNotNull(vault, $"{ExecutorConfiguration.KeyVaultUriVariable}={uri} is no vault the template creates");
        Assert.IsTrue(vault.Properties["enableRbacAuthorization"]?.GetValue<bool>(), "the vault authorizes by Azure RBAC, so role assignments are what grant access");

        // `bo secrets set` and the API write secrets, tasks read them: Secrets User would only read.
        Assert.IsTrue(provisioned.IdentityHas(vault.Id, AzureRoles.KeyVaultSecretsOfficer, AzureRoles.KeyVaultAdministrator), provisioned.DescribeIdentityRoles(vault.Id));
    }

    [TestMethod]
    public async Task The_task_hub_and_the_host_storage_use_the_identity_with_the_roles_they_need()
    {
        var provisioned = await Provisioned.ProvisionAsync("minimal");
        var settings = provisioned.AppSettings;
        var durable = JsonNode.Parse(Repository.Read("host.json"))!["extensions"]!["durableTask"]!;

        // host.json names the hub through a setting; the hub's queues and tables are named after it.
        var hubName = durable["hubName"]!.GetValue<string>();
        var hubSetting = HostJsonSetting().Match(hubName);
        Assert.IsTrue(hubSetting.Success, $"hubName '{hubName}' comes from an app setting (%NAME%), so each deployment can have its own");
        Assert.IsTrue(settings.TryGetValue(hubSetting.Groups["name"].Value, out var hub), $"the template does not set {hubSetting.Groups["name"].Value}, which host.json's hubName reads");
        Assert.MatchesRegex(@"^[A-Za-z][A-Za-z0-9]{2,49}$", hub, "an Azure Storage task hub name: 3 to 50 letters and digits, starting with a letter");
        Assert.AreEqual(hub, provisioned.Arm.Outputs["DURABLE_TASK_HUB"]?.GetValue<string>(), "the output azd shows names the same hub");

        var provider = durable["storageProvider"]!;
        Assert.AreEqual("AzureStorage", provider["type"]!.GetValue<string>());
        var connection = provider["connectionName"]?.GetValue<string>() ?? "AzureWebJobsStorage";

        // An identity-based connection: the account's name, the managed identity, and which one.
        Assert.IsFalse(settings.ContainsKey(connection), $"{connection} as a connection string would carry a key; the account takes none");
        Assert.IsTrue(settings.TryGetValue($"{connection}__accountName", out var accountName), $"{connection}__accountName");
        Assert.AreEqual("managedidentity", settings.GetValueOrDefault($"{connection}__credential"), $"{connection}__credential");
        Assert.AreEqual(provisioned.ClientId, settings.GetValueOrDefault($"{connection}__clientId"), $"{connection}__clientId names the app's user-assigned identity");

        var account = provisioned.OfType("Microsoft.Storage/storageAccounts").SingleOrDefault(a => a.Name == accountName);
        Assert.IsNotNull(account, $"{connection}__accountName={accountName} is no storage account the template creates");
        Assert.AreEqual("StorageV2", account.Body["kind"]?.GetValue<string>(), "the Durable backend needs queues and tables beside blobs");

        // The Functions host keeps keys, leases and timers' locks in blobs (Owner, as its docs ask); the Durable backend uses queues and tables.
        Assert.IsTrue(provisioned.IdentityHas(account.Id, AzureRoles.StorageBlobDataOwner), provisioned.DescribeIdentityRoles(account.Id));
        Assert.IsTrue(provisioned.IdentityHas(account.Id, AzureRoles.StorageQueueDataContributor), provisioned.DescribeIdentityRoles(account.Id));
        Assert.IsTrue(provisioned.IdentityHas(account.Id, AzureRoles.StorageTableDataContributor), provisioned.DescribeIdentityRoles(account.Id));
    }

    [TestMethod]
    public async Task Every_sdk_signs_in_as_the_app_s_one_identity_and_telemetry_too()
    {
        var provisioned = await Provisioned.ProvisionAsync("minimal");
        var settings = provisioned.AppSettings;

        Assert.AreEqual("UserAssigned", provisioned.Site.Body["identity"]?["type"]?.GetValue<string>());

        // DefaultAzureCredential (Blob stores, Key Vault, AKS and ACI) picks the user-assigned identity by this.
        Assert.AreEqual(provisioned.ClientId, settings.GetValueOrDefault("AZURE_CLIENT_ID"), "AZURE_CLIENT_ID");

        var insights = provisioned.Single("Microsoft.Insights/components");
        Assert.AreEqual(provisioned.Arm.Runtime(insights.Id)["ConnectionString"]?.GetValue<string>(), settings.GetValueOrDefault("APPLICATIONINSIGHTS_CONNECTION_STRING"));
        Assert.IsTrue(insights.Properties["DisableLocalAuth"]?.GetValue<bool>(), "no instrumentation-key ingestion");
        Assert.AreEqual($"ClientId={provisioned.ClientId};Authorization=AAD", settings.GetValueOrDefault("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"), "the host sends telemetry as the identity");
        Assert.IsTrue(provisioned.IdentityHas(insights.Id, AzureRoles.MonitoringMetricsPublisher), provisioned.DescribeIdentityRoles(insights.Id));
    }

    [TestMethod]
    public async Task The_flex_app_runs_the_functions_project_from_a_container_the_identity_may_read()
    {
        var provisioned = await Provisioned.ProvisionAsync("minimal");
        var site = provisioned.Site;
        var plan = provisioned.Single("Microsoft.Web/serverfarms");
        Assert.AreEqual("FlexConsumption", plan.Body["sku"]?["tier"]?.GetValue<string>());
        Assert.AreEqual(plan.Id, site.Properties["serverFarmId"]?.GetValue<string>(), ignoreCase: true, "the app is on the plan");
        Assert.AreEqual("functionapp,linux", site.Body["kind"]?.GetValue<string>());

        // The runtime is the Functions project's: the isolated worker on the framework it targets.
        var config = site.Properties["functionAppConfig"]!;
        var framework = typeof(AzureComposition).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
        Assert.AreEqual("dotnet-isolated", config["runtime"]?["name"]?.GetValue<string>());
        Assert.AreEqual(framework[(framework.IndexOf("=v", StringComparison.Ordinal) + 2)..], config["runtime"]?["version"]?.GetValue<string>(), $"the project targets {framework}");

        // The package azd uploads: a container on an account the template creates, read as the identity.
        var storage = config["deployment"]!["storage"]!;
        Assert.AreEqual("blobContainer", storage["type"]?.GetValue<string>());
        Assert.AreEqual("UserAssignedIdentity", storage["authentication"]?["type"]?.GetValue<string>());
        Assert.AreEqual(provisioned.IdentityId, storage["authentication"]?["userAssignedIdentityResourceId"]?.GetValue<string>());
        var url = new Uri(storage["value"]!.GetValue<string>());
        var account = provisioned.WithRuntime("Microsoft.Storage/storageAccounts", $"{url.Scheme}://{url.Host}/", "primaryEndpoints", "blob");
        Assert.IsNotNull(account, $"the deployment container {url} is on no account the template creates");
        var containerId = $"{account.Id}/blobServices/default/containers/{url.AbsolutePath.Trim('/')}";
        Assert.IsTrue(provisioned.Arm.Resources.Any(r => r.Id.Equals(containerId, StringComparison.OrdinalIgnoreCase)), $"{containerId} is created");
        Assert.IsTrue(provisioned.IdentityHas(containerId, AzureRoles.StorageBlobDataOwner, AzureRoles.StorageBlobDataContributor), provisioned.DescribeIdentityRoles(containerId));

        // Flex Consumption takes the runtime and the package from functionAppConfig and has no
        // Azure Files content share: these settings are rejected there.
        string[] notOnFlex = ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"];
        Assert.IsEmpty(notOnFlex.Where(provisioned.AppSettings.ContainsKey), "settings Flex Consumption does not support");

        // One place for the settings: the appsettings resource replaces the whole set.
        Assert.IsNull(site.Properties["siteConfig"]?["appSettings"], "siteConfig.appSettings beside the appsettings resource");
    }

    [TestMethod]
    public async Task Azure_yaml_deploys_the_functions_project_to_the_template_s_function_app()
    {
        var provisioned = await Provisioned.ProvisionAsync("minimal");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Repository.Read("azure.yaml")));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;

        var infra = (YamlMappingNode)root["infra"];
        Assert.AreEqual("bicep", infra["provider"].ToString());
        Assert.AreEqual("infra/main.bicep", $"{infra["path"]}/{infra["module"]}.bicep");

        var services = ((YamlMappingNode)root["services"]).Children.ToList();
        Assert.HasCount(1, services, "one service: the Functions app");
        var (name, node) = (services[0].Key.ToString(), (YamlMappingNode)services[0].Value);
        Assert.AreEqual("function", node["host"].ToString());
        Assert.AreEqual("dotnet", node["language"].ToString());

        // The project azd builds is the one whose composition these tests run.
        var project = Path.GetFullPath(Repository.PathOf(node["project"].ToString()));
        var assembly = typeof(AzureComposition).Assembly.GetName().Name;
        Assert.IsTrue(File.Exists(Path.Combine(project, $"{assembly}.csproj")), $"service {name}: {project} holds {assembly}.csproj");

        // azd finds the app to deploy to by this tag.
        Assert.AreEqual(name, provisioned.Site.Body["tags"]?["azd-service-name"]?.GetValue<string>(), "the Function App's azd-service-name tag");
        Assert.AreEqual(provisioned.Site.Name, provisioned.Arm.Outputs["FUNCTION_APP_NAME"]?.GetValue<string>());
    }

    [TestMethod]
    [DataRow("minimal")]
    [DataRow("containers")]
    public async Task Container_executors_are_configured_exactly_when_enabled_and_may_reach_their_targets(string environment)
    {
        var provisioned = await Provisioned.ProvisionAsync(environment);
        var settings = provisioned.AppSettings;
        var logs = Directory.CreateTempSubdirectory("bo-deploy-logs-");
        try
        {
            var executors = (await ExecutorConfiguration.ReadAsync(settings, cancellationToken: TestContext.CancellationToken)).Select(make => make(new FileLogStore(logs.FullName))).ToList();
            try
            {
                var kubernetes = executors.Single(e => e.Name == "kubernetes");
                var aci = executors.Single(e => e.Name == "aci");
                Assert.AreEqual(!provisioned.AksEnabled, kubernetes is UnconfiguredExecutor, (kubernetes as UnconfiguredExecutor)?.Message ?? "kubernetes is configured");
                Assert.AreEqual(!provisioned.AciEnabled, aci is UnconfiguredExecutor, (aci as UnconfiguredExecutor)?.Message ?? "aci is configured");
            }
            finally
            {
                foreach (var executor in executors)
                {
                    await DisposeAsync(executor);
                }
            }
        }
        finally
        {
            logs.Delete(recursive: true);
        }

        if (provisioned.AksEnabled)
        {
            // The API server the app calls is the cluster's; in-cluster rights are the namespace Role of infra/k8s.
            var cluster = provisioned.Single("Microsoft.ContainerService/managedClusters");
            Assert.AreEqual($"https://{provisioned.Arm.Runtime(cluster.Id)["fqdn"]}:443", settings.GetValueOrDefault("BO_KUBERNETES_SERVER"));
            Assert.AreEqual("entra", settings.GetValueOrDefault("BO_KUBERNETES_AUTH"), "the app has no kubeconfig: it signs in with Entra ID tokens");
            Assert.IsTrue(cluster.Properties["aadProfile"]?["managed"]?.GetValue<bool>(), "Entra ID sign-in on the cluster");
            Assert.AreEqual(provisioned.Environment["BO_AKS_CA"], settings.GetValueOrDefault("BO_KUBERNETES_CA"));
        }

        if (provisioned.AciEnabled)
        {
            // Container groups are created in a resource group the template creates, where the identity may create them.
            var group = settings.GetValueOrDefault("BO_ACI_RESOURCE_GROUP");
            var groupId = $"/subscriptions/{settings.GetValueOrDefault("BO_ACI_SUBSCRIPTION")}/resourceGroups/{group}";
            Assert.IsTrue(provisioned.OfType("Microsoft.Resources/resourceGroups").Any(r => r.Id.Equals(groupId, StringComparison.OrdinalIgnoreCase)), $"{groupId} is created");
            Assert.AreEqual(Provisioned.Location, settings.GetValueOrDefault("BO_ACI_LOCATION"));
            Assert.IsTrue(provisioned.IdentityHas(groupId, AzureRoles.Contributor, AzureRoles.Owner), provisioned.DescribeIdentityRoles(groupId));
        }
    }

    /// <summary>
    /// Runs the app's composition (everything it does at start-up but the first Blob write) with
    /// the template's settings, and returns the names it read. The state folder is the test's
    /// own: on Azure it is the instance's temporary folder, the default.
    /// </summary>
    private async Task<IReadOnlyList<string>> ComposeAsync(Provisioned provisioned)
    {
        var state = Directory.CreateTempSubdirectory("bo-deploy-state-");
        try
        {
            var settings = new RecordingSettings(new Dictionary<string, string>(provisioned.AppSettings, StringComparer.Ordinal)
            {
                [AzureComposition.StateDirectorySetting] = state.FullName,
            });
            await AzureComposition.AddPartsAsync(new ServiceCollection(), settings, TestContext.CancellationToken);

            Assert.IsFalse(settings.Enumerated, "the composition walked every setting, so which it reads cannot be told");
            return [.. settings.Read.Where(name => name != AzureComposition.StateDirectorySetting)];
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    /// <summary>Why the app needs no value for a setting the composition reads; null when nothing excuses its absence.</summary>
    private static string? WhyUnset(string name, Provisioned provisioned) => name switch
    {
        _ when BlobPrefix().IsMatch(name) => "an optional folder inside the store's container",
        _ when BlobConnectionString().IsMatch(name) => "the account-key alternative to the account URL; the account takes no keys",
        BlobOperatorsAccountUrl => "the default account of blob> tasks that name none; a workflow names its own",
        AzureComposition.SecretKeySetting => "the file secret store's key; the app keeps secrets in Key Vault",
        AzureComposition.MaxChildrenPerOrchestrationSetting => "the engine's default (50 children per orchestration) keeps history bounded; the conformance suite lowers it",
        "BO_KUBERNETES" or "BO_KUBERNETES_CONTEXT" or "KUBECONFIG" or "HOME" or "KUBERNETES_SERVICE_HOST" or "KUBERNETES_SERVICE_PORT" =>
            "a kubeconfig or a pod's service account; a Function App has neither and names the API server",
        "BO_KUBERNETES_SERVER" or "BO_KUBERNETES_AUTH" or "BO_KUBERNETES_NAMESPACE" or "BO_KUBERNETES_CA" when !provisioned.AksEnabled => "AKS is off",
        "BO_KUBERNETES_CA" when !provisioned.Environment.ContainsKey("BO_AKS_CA") => "set once the cluster exists (docs/deploy-azure.md)",
        "BO_ACI_SUBSCRIPTION" or "BO_ACI_RESOURCE_GROUP" or "BO_ACI_LOCATION" when !provisioned.AciEnabled => "ACI is off",
        "BO_ACI_IDENTITY" => "only for images in private registries",
        "BO_ACI_KEYVAULT_URI" => "container.secrets fall back to BO_KEYVAULT_URI",
        "WEBSITE_HOSTNAME" => "set by the platform on every Function App: the default host name the API and UI answer",
        "BO_HOST_NAMES" => "further host names the app answers (a custom domain); the template adds none",
        _ => null,
    };

    private const string BlobOperatorsAccountUrl = BatchOrchestrator.Storage.Blob.Operators.BlobOperators.AccountUrlVariable;

    private static string Constant(Type type, string field) =>
        (string)(type.GetField(field, BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() ?? throw new InvalidOperationException($"{type.Name}.{field}"));

    private static async Task DisposeAsync(ICommandExecutor executor)
    {
        switch (executor)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    [GeneratedRegex("%(?<name>[A-Za-z0-9_]+)%")]
    private static partial Regex HostJsonSetting();

    [GeneratedRegex("^BO_[A-Z]+_BLOB_PREFIX$")]
    private static partial Regex BlobPrefix();

    [GeneratedRegex("^BO_([A-Z]+_)?BLOB_CONNECTION_STRING$")]
    private static partial Regex BlobConnectionString();
}
