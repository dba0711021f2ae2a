using System.Diagnostics;
using System.Reflection;

namespace BatchOrchestrator.Deploy.Tests.Support;

/// <summary>
/// The Functions app as `azd deploy` uploads it: the output of <c>dotnet publish
/// src/BatchOrchestrator.Functions</c>. tests/run.sh publishes it before the tests and names it in
/// BO_FUNCTIONS_PUBLISH_DIR; without that variable (a developer running <c>dotnet test</c> alone)
/// it is published here into a temporary folder, from the build this test project already
/// references (<c>--no-build</c>: a second, different build would not be the one tested).
/// </summary>
internal static class FunctionsPackage
{
    public const string Variable = "BO_FUNCTIONS_PUBLISH_DIR";

    private static readonly Lazy<Task<string>> Published = new(PublishAsync);
    private static string? _temporary;

    public static Task<string> DirectoryAsync() => Published.Value;

    /// <summary>Deletes the folder this class published into, if it did.</summary>
    public static void DeleteTemporary()
    {
        if (_temporary is not null && Directory.Exists(_temporary))
        {
            Directory.Delete(_temporary, recursive: true);
        }
    }

    private static async Task<string> PublishAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            return Directory.Exists(given)
                ? given
                : throw new InvalidOperationException($"{Variable} is '{given}', which is no folder: run tests/run.sh, which publishes the Functions app there.");
        }

        _temporary = Directory.CreateTempSubdirectory("bo-functions-package-").FullName;
        var configuration = typeof(FunctionsPackage).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in new[] { "publish", "src/BatchOrchestrator.Functions/BatchOrchestrator.Functions.csproj", "-c", configuration, "--no-build", "-nologo", "-v", "quiet", "-o", _temporary })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? _temporary
            : throw new InvalidOperationException($"dotnet publish of the Functions app failed ({process.ExitCode}):\n{await output}\n{await errors}");
    }
}
