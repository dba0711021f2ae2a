using System.Text.RegularExpressions;
using BatchOrchestrator.Deploy.Tests.Support;

namespace BatchOrchestrator.Deploy.Tests;

/// <summary>
/// Every Bicep file under infra/ compiles and lints clean with the Bicep CLI the project restores:
/// a warning today (a possibly-null module output, an unused parameter) is a failed deployment
/// or a lost setting later. infra/bicepconfig.json decides which linter rules are errors; here
/// any diagnostic at all fails, with the diagnostics in the message.
/// </summary>
[TestClass]
public sealed partial class BicepTests
{
    public static IEnumerable<object[]> BicepFiles =>
        Directory.EnumerateFiles(Repository.PathOf("infra"), "*.bicep", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { f });

    [TestMethod]
    [DynamicData(nameof(BicepFiles))]
    public async Task Builds_with_no_diagnostics(string file)
    {
        var result = await BicepCli.RunAsync("build", Repository.PathOf(file), "--stdout", "--no-restore");

        Assert.AreEqual(0, result.ExitCode, $"bicep build {file}: {result.Describe()}");
        Assert.IsEmpty(result.Diagnostics, $"bicep build {file}: {result.Describe()}");
        StringAssert.StartsWith(result.Output.TrimStart(), "{", "the ARM JSON is printed");
    }

    [TestMethod]
    [DynamicData(nameof(BicepFiles))]
    public async Task Lints_with_no_diagnostics(string file)
    {
        var result = await BicepCli.RunAsync("lint", Repository.PathOf(file), "--no-restore");

        Assert.AreEqual(0, result.ExitCode, $"bicep lint {file}: {result.Describe()}");
        Assert.IsEmpty(result.Diagnostics, $"bicep lint {file}: {result.Describe()}");
    }

    [TestMethod]
    public void Every_module_and_the_entry_point_are_checked()
    {
        // The rows above come from a folder listing: an empty listing would pass vacuously.
        var files = BicepFiles.Select(row => (string)row[0]).ToList();
        CollectionAssert.Contains(files, "infra/main.bicep");
        Assert.IsGreaterThanOrEqualTo(7, files.Count(f => f.StartsWith("infra/modules/", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task The_cli_is_the_version_Directory_Packages_props_pins()
    {
        var pinned = PinnedBicep().Match(Repository.Read("Directory.Packages.props"));
        Assert.IsTrue(pinned.Success, "Directory.Packages.props pins Azure.Bicep.CommandLine.linux-x64");

        var result = await BicepCli.RunAsync("--version");

        Assert.AreEqual(0, result.ExitCode, result.Describe());
        StringAssert.Contains(result.Output, $"Bicep CLI version {pinned.Groups["version"].Value} ");
    }

    [TestMethod]
    public async Task The_linter_configuration_turns_the_rules_that_matter_into_errors()
    {
        // A file beside a copy of infra/bicepconfig.json, so the copy is what the CLI discovers:
        // a typo in the file's JSON or a rule left at its default would show here.
        var folder = Directory.CreateTempSubdirectory("bo-bicepconfig-");
        try
        {
            File.Copy(Repository.PathOf("infra/bicepconfig.json"), Path.Combine(folder.FullName, "bicepconfig.json"));
            var file = Path.Combine(folder.FullName, "probe.bicep");
            await File.WriteAllTextAsync(file, "param unused string\nparam tags object = {}\noutput keys array = items(tags)\n");

            var result = await BicepCli.RunAsync("lint", file, "--no-restore");

            Assert.AreNotEqual(0, result.ExitCode, result.Describe());
            Assert.IsTrue(result.Diagnostics.Any(d => d.Contains(" : Error no-unused-params:", StringComparison.Ordinal)), result.Describe());
            Assert.IsTrue(result.Diagnostics.Any(d => d.Contains(" : Error use-user-defined-types:", StringComparison.Ordinal)), result.Describe());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"<PackageVersion Include=""Azure\.Bicep\.CommandLine\.linux-x64"" Version=""(?<version>[^""]+)""")]
    private static partial Regex PinnedBicep();
}
