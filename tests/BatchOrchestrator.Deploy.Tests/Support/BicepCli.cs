using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BatchOrchestrator.Deploy.Tests.Support;

/// <summary>
/// The Bicep CLI from the NuGet package the project restores (the path is built into this
/// assembly by BatchOrchestrator.Deploy.Tests.csproj), so a clean machine has it after
/// <c>dotnet build</c> with nothing installed by hand.
/// </summary>
internal static partial class BicepCli
{
    private static readonly Lazy<Task<JsonObject>> MainTemplate = new(() => CompileAsync("infra/main.bicep"));

    public static string Executable { get; } =
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepExecutable").Value
        ?? throw new InvalidOperationException("No BicepExecutable metadata: the test project's LocateBicep target did not run.");

    /// <summary>infra/main.bicep compiled to ARM JSON, once per test run.</summary>
    public static Task<JsonObject> MainTemplateAsync() => MainTemplate.Value;

    /// <summary>Compiles a repository file (<c>bicep build --stdout</c>); fails with the diagnostics if there are any.</summary>
    public static async Task<JsonObject> CompileAsync(string relativePath)
    {
        var result = await RunAsync("build", Repository.PathOf(relativePath), "--stdout", "--no-restore");
        if (result.ExitCode != 0 || result.Diagnostics.Count > 0)
        {
            throw new InvalidOperationException($"bicep build {relativePath} failed:\n{result.Describe()}");
        }

        return (JsonObject)JsonNode.Parse(result.Output)!;
    }

    public static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} ran over 2 minutes.");
        }

        return new BicepResult(process.ExitCode, await output, await errors);
    }

    /// <summary>A diagnostic line: <c>/path/file.bicep(12,5) : Warning BCP318: message [link]</c>.</summary>
    [GeneratedRegex(@"^.+\(\d+,\d+\) : (Error|Warning|Info) [\w-]+: .*$", RegexOptions.Multiline)]
    internal static partial Regex DiagnosticLine();
}

/// <summary>What one run of the Bicep CLI printed.</summary>
internal sealed record BicepResult(int ExitCode, string Output, string Errors)
{
    public IReadOnlyList<string> Diagnostics =>
        [.. BicepCli.DiagnosticLine().Matches(Errors).Concat(BicepCli.DiagnosticLine().Matches(Output)).Select(m => m.Value.TrimEnd())];

    public string Describe() =>
        $"exit code {ExitCode}, {Diagnostics.Count} diagnostic(s):\n{string.Join('\n', Diagnostics)}\n--- stderr ---\n{Errors.Trim()}";
}
