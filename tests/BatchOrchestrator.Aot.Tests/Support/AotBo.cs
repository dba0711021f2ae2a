using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BatchOrchestrator.Aot.Tests.Support;

/// <summary>The Native AOT <c>bo</c> executable, run as a child process.</summary>
internal static partial class AotBo
{
    /// <summary>Long enough for a loaded 2-core CI machine; a hung binary still fails instead of hanging the run.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromMinutes(5);

    private static readonly Lazy<Task<string>> Binary = new(FindOrPublishAsync);

    /// <summary>The path of the executable (published first if BO_AOT_BIN does not name one).</summary>
    public static Task<string> PathAsync() => Binary.Value;

    /// <summary>Runs <c>bo</c> in <paramref name="folder"/> to its end: exit code, stdout and stderr.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunAsync(string folder, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = await StartAsync(folder, environment, args);
        using var guard = new CancellationTokenSource(Guard);
        var output = process.StandardOutput.ReadToEndAsync(guard.Token);
        var error = process.StandardError.ReadToEndAsync(guard.Token);
        await process.WaitForExitAsync(guard.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Starts <c>bo server --port 0</c> for <paramref name="project"/> and waits for the address it prints.</summary>
    public static async Task<(Process Process, Uri Address)> StartServerAsync(string project)
    {
        var process = await StartAsync(project, null, ["server", "--project", project, "--port", "0"]);
        using var guard = new CancellationTokenSource(Guard);
        var line = await process.StandardOutput.ReadLineAsync(guard.Token);
        var match = line is null ? null : Address().Match(line);
        if (match is not { Success: true })
        {
            process.Kill();
            var error = await process.StandardError.ReadToEndAsync(guard.Token);
            process.Dispose();
            throw new AssertFailedException($"bo server did not say where it listens: {line}\n{error}");
        }

        return (process, new Uri(match.Value));
    }

    private static async Task<Process> StartAsync(string folder, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var start = new ProcessStartInfo(await Binary.Value) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new AssertFailedException("could not start bo");
    }

    /// <summary>BO_AOT_BIN (tests/run.sh publishes once per run); otherwise published here, as the README says.</summary>
    private static async Task<string> FindOrPublishAsync()
    {
        if (Environment.GetEnvironmentVariable("BO_AOT_BIN") is { Length: > 0 } given)
        {
            return File.Exists(given) ? given : throw new AssertFailedException($"BO_AOT_BIN={given}: no such file");
        }

        var repository = RepositoryRoot();
        var output = Path.Combine(repository, "out", "bo-aot");
        var publish = new ProcessStartInfo("dotnet") { WorkingDirectory = repository, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "publish", "src/BatchOrchestrator.Cli", "-p:PublishProfile=release", "-o", output, "-nologo", "-v", "quiet" })
        {
            publish.ArgumentList.Add(arg);
        }

        using var process = Process.Start(publish) ?? throw new AssertFailedException("could not start dotnet publish");
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var text = process.StandardOutput.ReadToEndAsync(guard.Token);
        var error = process.StandardError.ReadToEndAsync(guard.Token);
        await process.WaitForExitAsync(guard.Token);
        if (process.ExitCode != 0)
        {
            throw new AssertFailedException($"dotnet publish of the AOT bo failed:\n{await text}\n{await error}");
        }

        return Path.Combine(output, "bo");
    }

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "BatchOrchestrator.sln")))
            {
                return folder.FullName;
            }
        }

        throw new AssertFailedException("the repository (BatchOrchestrator.sln) is not above the test binaries");
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/?")]
    private static partial Regex Address();
}
