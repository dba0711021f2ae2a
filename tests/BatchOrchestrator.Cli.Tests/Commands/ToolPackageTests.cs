using System.Diagnostics;
using BatchOrchestrator.Cli.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Commands;

/// <summary><c>bo</c> as a .NET tool, installed the way the README says: <c>dotnet pack</c>, then <c>dotnet tool install --add-source</c>.</summary>
[TestClass]
public sealed class ToolPackageTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(5);

    [TestMethod]
    public async Task The_packed_tool_installs_into_a_tool_path_and_its_bo_inits_and_runs_a_project()
    {
        var scratch = Directory.CreateTempSubdirectory("bo-tool-").FullName;
        try
        {
            var packages = Path.Combine(scratch, "packages");
            // The build made by tests/run.sh (Release) is packed as it is.
            await RunAsync(RepositoryRoot.Folder, "dotnet", "pack", "src/BatchOrchestrator.Cli", "-c", "Release", "--no-build", "-o", packages, "-nologo");
            // Only the packed folder as a source: the install needs nothing from a registry.
            var config = Path.Combine(scratch, "nuget.config");
            await File.WriteAllTextAsync(config, $"<?xml version=\"1.0\" encoding=\"utf-8\"?><configuration><packageSources><clear /><add key=\"packed\" value=\"{packages}\" /></packageSources></configuration>");
            var tools = Path.Combine(scratch, "tools");
            var install = await RunAsync(scratch, "dotnet", "tool", "install", "BatchOrchestrator.Cli", "--tool-path", tools, "--add-source", packages, "--configfile", config);
            Assert.Contains("successfully installed", install);

            var bo = Path.Combine(tools, "bo");
            Assert.Contains("created project demo", await RunAsync(scratch, bo, "init", "-t", "sh", "demo"));
            var run = await RunAsync(Path.Combine(scratch, "demo"), bo, "run", "demo.dig", "--session", "2026-11-21");
            Assert.Contains("+demo+hello: hello from 2026-11-21", run);
            Assert.Contains("success: attempt bo:demo:demo:2026-11-21T00:00:00Z:0 finished", run);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<string> RunAsync(string folder, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var guard = new CancellationTokenSource(Guard);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(guard.Token);
        var error = process.StandardError.ReadToEndAsync(guard.Token);
        await process.WaitForExitAsync(guard.Token);
        var text = await output + await error;
        Assert.AreEqual(0, process.ExitCode, $"{program} {string.Join(' ', args)}:{Environment.NewLine}{text}");
        return text;
    }
}
