using System.Text.Json;
using System.Text.RegularExpressions;
using BatchOrchestrator.Deploy.Tests.Support;

namespace BatchOrchestrator.Deploy.Tests;

/// <summary>
/// What `azd up` reads besides the template (checked in <see cref="TemplateTests"/>): host.json's
/// own settings, and that the Functions project is built and published by the test command, so a
/// change that breaks it fails CI rather than the first deployment.
/// </summary>
[TestClass]
public sealed partial class AzureDeploymentTests
{
    [TestMethod]
    public void Host_json_configures_the_task_hub_the_way_the_app_relies_on()
    {
        using var document = JsonDocument.Parse(Repository.Read("host.json"));
        var root = document.RootElement;
        Assert.AreEqual("2.0", root.GetProperty("version").GetString());

        // The API's routes start with /api themselves (docs/api.md); a prefix would double it.
        Assert.AreEqual(string.Empty, root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());

        var durable = root.GetProperty("extensions").GetProperty("durableTask");
        Assert.IsTrue(durable.GetProperty("extendedSessionsEnabled").GetBoolean());
        Assert.IsGreaterThan(0, durable.GetProperty("maxConcurrentActivityFunctions").GetInt32());
        Assert.IsGreaterThan(0, durable.GetProperty("maxConcurrentOrchestratorFunctions").GetInt32());
        Assert.IsTrue(root.GetProperty("logging").GetProperty("logLevel").TryGetProperty("default", out _));
    }

    [TestMethod]
    public void The_functions_project_is_in_the_solution_built_and_published_by_the_test_script_and_its_packages_have_versions()
    {
        const string project = "src/BatchOrchestrator.Functions/BatchOrchestrator.Functions.csproj";
        StringAssert.Contains(Repository.Read("BatchOrchestrator.sln").Replace('\\', '/'), project);

        // tests/run.sh (what CI runs) builds the whole solution, so the Functions project with it,
        // and publishes the package FunctionsPackageTests read.
        var script = Repository.Read("tests/run.sh");
        Assert.MatchesRegex(@"(?m)^dotnet build BatchOrchestrator\.sln\b", script, "tests/run.sh builds BatchOrchestrator.sln");
        Assert.MatchesRegex(@"(?m)^dotnet publish src/BatchOrchestrator\.Functions\b.*-o ""\$" + FunctionsPackage.Variable + @"""", script, $"tests/run.sh publishes the Functions app into ${FunctionsPackage.Variable}");
        Assert.MatchesRegex(@"(?m)^export " + FunctionsPackage.Variable + "=", script);
        Assert.DoesNotContain(".slnf", script, "no solution filter leaves a project out");

        var versions = PackageVersion().Matches(Repository.Read("Directory.Packages.props")).Select(m => m.Groups["id"].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var references = PackageReference().Matches(Repository.Read(project)).Select(m => m.Groups["id"].Value).ToList();
        Assert.IsNotEmpty(references);
        foreach (var id in references)
        {
            Assert.Contains(id, versions, $"{id} has a central version");
        }
    }

    [GeneratedRegex(@"<PackageVersion Include=""(?<id>[^""]+)""")]
    private static partial Regex PackageVersion();

    [GeneratedRegex(@"<PackageReference Include=""(?<id>[^""]+)""")]
    private static partial Regex PackageReference();
}
