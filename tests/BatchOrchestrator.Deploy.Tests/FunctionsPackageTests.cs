using System.Reflection;
using System.Text.Json.Nodes;
using BatchOrchestrator.Deploy.Tests.Support;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Functions.Composition;

namespace BatchOrchestrator.Deploy.Tests;

/// <summary>
/// The deployable package (what `azd deploy` uploads: <c>dotnet publish</c> of the Functions
/// project, see <see cref="FunctionsPackage"/>): the Functions host finds every function the
/// engine calls with the right trigger, loads the Durable Task extension, starts the app's own
/// dll, and gets the repository's host.json and workflows. The host itself cannot run here, so
/// these files are what stands between a green build and a host that indexes nothing.
/// </summary>
[TestClass]
public sealed class FunctionsPackageTests
{
    private static readonly string AppDll = $"{typeof(AzureComposition).Assembly.GetName().Name}.dll";

    [TestMethod]
    public async Task Functions_metadata_lists_every_function_with_its_trigger()
    {
        var package = await FunctionsPackage.DirectoryAsync();
        var metadata = (JsonArray)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(package, "functions.metadata"), TestContext.CancellationToken))!;
        var functions = metadata.ToDictionary(f => f!["name"]!.GetValue<string>(), f => (JsonObject)f!);

        // The orchestrators and activities are the names the engine calls them by (ActivityNames),
        // so an activity added there without a function here fails this test.
        var orchestrators = new[] { ActivityNames.WorkflowOrchestrator, ActivityNames.ChunkOrchestrator };
        var activities = typeof(ActivityNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Except(orchestrators)
            .ToList();
        Assert.IsGreaterThanOrEqualTo(9, activities.Count, "ActivityNames was read");

        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["StartSession"] = "httpTrigger",
            ["Api"] = "httpTrigger",
            ["OpenApi"] = "httpTrigger",
            ["Ui"] = "httpTrigger",
            ["ScheduleTick"] = "timerTrigger",
        };
        foreach (var name in orchestrators)
        {
            expected[name] = "orchestrationTrigger";
        }

        foreach (var name in activities)
        {
            expected[name] = "activityTrigger";
        }

        CollectionAssert.AreEquivalent(expected.Keys.Order().ToList(), functions.Keys.Order().ToList(), "the functions in functions.metadata");
        foreach (var (name, trigger) in expected)
        {
            var function = functions[name];
            var triggers = Bindings(function).Where(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal)).Select(b => b.Type).ToList();
            CollectionAssert.AreEqual(new[] { trigger }, triggers, $"{name}'s trigger");
            Assert.AreEqual(AppDll, function["scriptFile"]?.GetValue<string>(), $"{name} runs in the app's dll");
        }

        // require> starts a session from inside an activity, through its own Durable client binding.
        Assert.Contains(("durableClient", "In"), Bindings(functions[ActivityNames.RequireSession]).ToList(), "RequireSession binds a Durable client");
    }

    [TestMethod]
    public async Task The_durable_task_extension_is_registered_with_its_assembly_in_the_package()
    {
        var package = await FunctionsPackage.DirectoryAsync();
        var path = Path.Combine(package, "extensions.json");
        Assert.IsTrue(File.Exists(path), "the worker SDK writes extensions.json at the package root");
        var extensions = (JsonArray)JsonNode.Parse(await File.ReadAllTextAsync(path, TestContext.CancellationToken))!["extensions"]!;

        var durable = extensions.SingleOrDefault(e => e!["typeName"]!.GetValue<string>().StartsWith("Microsoft.Azure.WebJobs.Extensions.DurableTask.", StringComparison.Ordinal));
        Assert.IsNotNull(durable, $"extensions.json registers the Durable Task extension: {extensions.ToJsonString()}");

        // The host loads each extension from its hint path: a missing .azurefunctions folder fails there.
        foreach (var extension in extensions)
        {
            var hint = extension!["hintPath"]!.GetValue<string>();
            Assert.IsTrue(File.Exists(Path.GetFullPath(Path.Combine(package, hint))), $"{extension["name"]}: {hint} is in the package");
        }
    }

    [TestMethod]
    public async Task Host_json_is_the_repository_s()
    {
        var package = await FunctionsPackage.DirectoryAsync();

        CollectionAssert.AreEqual(
            await File.ReadAllBytesAsync(Repository.PathOf("host.json"), TestContext.CancellationToken),
            await File.ReadAllBytesAsync(Path.Combine(package, "host.json"), TestContext.CancellationToken),
            "the package's host.json is the repository's (task hub, limits, route prefix)");
    }

    [TestMethod]
    public async Task Worker_config_starts_the_app_s_dll()
    {
        var package = await FunctionsPackage.DirectoryAsync();
        var description = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(package, "worker.config.json"), TestContext.CancellationToken))!["description"]!;

        Assert.AreEqual("dotnet-isolated", description["language"]?.GetValue<string>());
        Assert.AreEqual("dotnet", description["defaultExecutablePath"]?.GetValue<string>());
        Assert.AreEqual(AppDll, description["defaultWorkerPath"]?.GetValue<string>());
        Assert.IsTrue(File.Exists(Path.Combine(package, AppDll)), $"{AppDll} is in the package");
        Assert.IsTrue(File.Exists(Path.Combine(package, Path.ChangeExtension(AppDll, ".runtimeconfig.json"))), "its runtimeconfig.json is beside it");
    }

    [TestMethod]
    public async Task Workflows_are_the_repository_s_without_what_local_runs_leave()
    {
        var package = await FunctionsPackage.DirectoryAsync();
        var shipped = Files(Path.Combine(package, "workflows"));
        var repository = Files(Repository.PathOf("workflows")).Where(f => !IsLocalState(f)).ToList();

        Assert.IsNotEmpty(repository);
        CollectionAssert.AreEquivalent(repository, shipped.ToList(), "the package's workflows/ is the repository's, less .bo/, output/ and __pycache__/");
        foreach (var file in shipped)
        {
            CollectionAssert.AreEqual(
                await File.ReadAllBytesAsync(Path.Combine(Repository.PathOf("workflows"), file), TestContext.CancellationToken),
                await File.ReadAllBytesAsync(Path.Combine(package, "workflows", file), TestContext.CancellationToken),
                $"workflows/{file}");
        }
    }

    public TestContext TestContext { get; set; } = null!;

    /// <summary>The .bo state folder and the main job's output/ (at the top), and Python's caches (anywhere).</summary>
    private static bool IsLocalState(string relative)
    {
        var segments = relative.Split('/');
        return segments[0] is ".bo" or "output" || segments.Contains("__pycache__");
    }

    private static List<string> Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    private static IEnumerable<(string Type, string Direction)> Bindings(JsonObject function) =>
        ((JsonArray)function["bindings"]!).Select(b => (b!["type"]!.GetValue<string>(), b["direction"]?.GetValue<string>() ?? ""));
}
