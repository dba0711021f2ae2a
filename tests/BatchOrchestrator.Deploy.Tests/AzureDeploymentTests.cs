using System.Text.Json;
using System.Text.RegularExpressions;
using BatchOrchestrator.Engine.Workflows.Activities;
using YamlDotNet.RepresentationModel;

namespace BatchOrchestrator.Deploy.Tests;

/// <summary>
/// What `azd up` reads must fit together before it reaches Azure: a wrong path, an undeclared or
/// missing parameter, or a function the engine calls but the app lacks fails only after minutes
/// of provisioning, or at the first workflow. Bicep itself is not compiled here (no Bicep CLI).
/// </summary>
[TestClass]
public sealed partial class AzureDeploymentTests
{
    [TestMethod]
    public void Azure_yaml_points_at_the_functions_project_and_the_bicep_entry_point()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Repository.Read("azure.yaml")));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;

        var infra = (YamlMappingNode)root["infra"];
        Assert.AreEqual("bicep", infra["provider"].ToString());
        Assert.IsTrue(File.Exists(Repository.PathOf($"{infra["path"]}/{infra["module"]}.bicep")), "infra.path/infra.module names main.bicep");

        var services = (YamlMappingNode)root["services"];
        Assert.IsNotEmpty(services.Children);
        foreach (var (name, node) in services.Children)
        {
            var service = (YamlMappingNode)node;
            var project = Repository.PathOf(service["project"].ToString());
            Assert.IsTrue(Directory.Exists(project), $"service {name}: {project} exists");
            Assert.IsNotEmpty(Directory.GetFiles(project, "*.csproj"), $"service {name}: {project} holds a .NET project");
            Assert.AreEqual("dotnet", service["language"].ToString());
            Assert.AreEqual("function", service["host"].ToString());

            // azd finds the app to deploy to by this tag.
            StringAssert.Contains(Repository.Read("infra/modules/functionapp.bicep"), $"'azd-service-name': '{name}'");
        }
    }

    [TestMethod]
    public void Every_parameter_azd_passes_is_declared_and_every_required_one_is_passed()
    {
        var main = BicepFile.Load(Repository.PathOf("infra/main.bicep"));
        using var document = JsonDocument.Parse(Repository.Read("infra/main.parameters.json"));
        var passed = document.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        foreach (var name in passed)
        {
            Assert.IsTrue(main.Parameters.ContainsKey(name), $"main.parameters.json sets '{name}', which main.bicep does not declare");
        }

        foreach (var (name, hasDefault) in main.Parameters)
        {
            Assert.IsTrue(hasDefault || passed.Contains(name), $"main.bicep requires '{name}', which main.parameters.json does not set");
        }
    }

    [TestMethod]
    public void Every_module_exists_and_gets_exactly_parameters_it_declares_with_the_required_ones()
    {
        var files = new Queue<string>([Repository.PathOf("infra/main.bicep")]);
        var checkedModules = 0;
        while (files.TryDequeue(out var path))
        {
            foreach (var module in BicepFile.Load(path).Modules)
            {
                var modulePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, module.Path));
                Assert.IsTrue(File.Exists(modulePath), $"{Path.GetFileName(path)}: module {module.Symbol} -> {module.Path} exists");
                var declared = BicepFile.Load(modulePath).Parameters;
                foreach (var name in module.PassedParameters)
                {
                    Assert.IsTrue(declared.ContainsKey(name), $"{module.Path} is passed '{name}', which it does not declare");
                }

                foreach (var (name, hasDefault) in declared)
                {
                    Assert.IsTrue(hasDefault || module.PassedParameters.Contains(name), $"{module.Path} requires '{name}', which {module.Symbol} does not pass");
                }

                files.Enqueue(modulePath);
                checkedModules++;
            }
        }

        Assert.IsGreaterThanOrEqualTo(5, checkedModules, "main.bicep's modules were read");
    }

    [TestMethod]
    public void Host_json_configures_the_task_hub_the_way_the_app_relies_on()
    {
        using var document = JsonDocument.Parse(Repository.Read("host.json"));
        var root = document.RootElement;
        Assert.AreEqual("2.0", root.GetProperty("version").GetString());

        // The API's routes start with /api themselves (docs/api.md); a prefix would double it.
        Assert.AreEqual(string.Empty, root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());

        var durable = root.GetProperty("extensions").GetProperty("durableTask");
        Assert.AreEqual("%BO_TASK_HUB%", durable.GetProperty("hubName").GetString());
        Assert.IsTrue(durable.GetProperty("extendedSessionsEnabled").GetBoolean());
        Assert.IsGreaterThan(0, durable.GetProperty("maxConcurrentActivityFunctions").GetInt32());
        Assert.IsGreaterThan(0, durable.GetProperty("maxConcurrentOrchestratorFunctions").GetInt32());
        var provider = durable.GetProperty("storageProvider");
        Assert.AreEqual("AzureStorage", provider.GetProperty("type").GetString());

        // The identity-based connection the Function App's settings define (AzureWebJobsStorage__*).
        Assert.AreEqual("AzureWebJobsStorage", provider.GetProperty("connectionName").GetString());
        StringAssert.Contains(Repository.Read("infra/modules/functionapp.bicep"), "AzureWebJobsStorage__accountName");
        StringAssert.Contains(Repository.Read("infra/modules/functionapp.bicep"), "BO_TASK_HUB: taskHubName");

        // Run records and schedule cursors shared by every instance, on the account the identity may write.
        StringAssert.Contains(Repository.Read("infra/modules/functionapp.bicep"), "BO_RUN_BLOB_ACCOUNT_URL: storage.properties.primaryEndpoints.blob");
        StringAssert.Contains(Repository.Read("infra/modules/storage.bicep"), "'runs'");

        // Pushed projects in Blob, so a revision pushed through one instance runs on every other.
        StringAssert.Contains(Repository.Read("infra/modules/functionapp.bicep"), "BO_PROJECT_BLOB_ACCOUNT_URL: storage.properties.primaryEndpoints.blob");
        StringAssert.Contains(Repository.Read("infra/modules/functionapp.bicep"), "BO_PROJECT_BLOB_CONTAINER: 'projects'");
        StringAssert.Contains(Repository.Read("infra/modules/storage.bicep"), "'projects']");

        // Project secrets in one Key Vault for every instance, which the identity may read and write.
        StringAssert.Contains(Repository.Read("infra/modules/functionapp.bicep"), "BO_SECRETS: 'keyvault'");
        StringAssert.Contains(Repository.Read("infra/modules/functionapp.bicep"), "BO_KEYVAULT_URI: keyVaultUri");
        StringAssert.Contains(Repository.Read("infra/main.bicep"), "keyVaultUri: keyVault.outputs.uri");
        StringAssert.Contains(Repository.Read("infra/modules/keyvault.bicep"), "enableRbacAuthorization: true");
        StringAssert.Contains(Repository.Read("infra/modules/keyvault.bicep"), "principalId: identityPrincipalId");

        // With AKS, the app names the API server (it has no kubeconfig) and signs in with Entra ID as its identity.
        StringAssert.Contains(Repository.Read("infra/modules/functionapp.bicep"), "BO_KUBERNETES_SERVER: 'https://${aksServerFqdn}:443'");
        StringAssert.Contains(Repository.Read("infra/modules/functionapp.bicep"), "BO_KUBERNETES_AUTH: 'entra'");
        StringAssert.Contains(Repository.Read("infra/modules/functionapp.bicep"), "BO_KUBERNETES_CA: aksCertificateAuthority");
        StringAssert.Contains(Repository.Read("infra/main.bicep"), "aksServerFqdn: enableAks ? aks.outputs.fqdn : ''");
        Assert.IsTrue(root.GetProperty("logging").GetProperty("logLevel").TryGetProperty("default", out _));
    }

    [TestMethod]
    public void The_functions_app_has_a_function_for_every_orchestrator_and_activity_the_engine_calls()
    {
        var names = typeof(ActivityNames).GetFields().Where(f => f.IsLiteral).Select(f => f.Name).ToList();
        var declared = Directory.EnumerateFiles(Repository.PathOf("src/BatchOrchestrator.Functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => FunctionOfActivityName().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .ToList();

        Assert.IsGreaterThanOrEqualTo(11, names.Count);
        CollectionAssert.AreEquivalent(names, declared, "one [Function(ActivityNames.X)] per name the embedded runtime registers");
    }

    [TestMethod]
    public void The_functions_project_is_in_the_solution_but_not_in_the_local_build_and_its_packages_have_versions()
    {
        const string project = "src/BatchOrchestrator.Functions/BatchOrchestrator.Functions.csproj";
        StringAssert.Contains(Repository.Read("BatchOrchestrator.sln").Replace('\\', '/'), project);
        Assert.DoesNotContain(project, Repository.Read("BatchOrchestrator.local.slnf"), "its packages do not restore on these machines");

        var versions = PackageVersion().Matches(Repository.Read("Directory.Packages.props")).Select(m => m.Groups["id"].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var references = PackageReference().Matches(Repository.Read(project)).Select(m => m.Groups["id"].Value).ToList();
        Assert.IsNotEmpty(references);
        foreach (var id in references)
        {
            Assert.Contains(id, versions, $"{id} has a central version, so the project restores wherever NuGet is complete");
        }
    }

    [GeneratedRegex(@"\[Function\(ActivityNames\.(?<name>\w+)\)\]")]
    private static partial Regex FunctionOfActivityName();

    [GeneratedRegex(@"<PackageVersion Include=""(?<id>[^""]+)""")]
    private static partial Regex PackageVersion();

    [GeneratedRegex(@"<PackageReference Include=""(?<id>[^""]+)""")]
    private static partial Regex PackageReference();
}
