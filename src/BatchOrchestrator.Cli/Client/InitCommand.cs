using BatchOrchestrator.Cli.Commands;

namespace BatchOrchestrator.Cli.Client;

/// <summary><c>bo init [-t echo|sh|py] &lt;dir&gt;</c>: a new project folder from a sample, as <c>digdag init</c> makes one.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InitCommand(CliContext context)
{
    public Task<int> RunAsync(string directory, string sample, CancellationToken cancellationToken) =>
        UserErrors.ReportAsync(context.Error, async () =>
        {
            var folder = Path.GetFullPath(directory);
            var name = new DirectoryInfo(folder).Name;
            var files = ProjectSamples.For(sample, name);
            if (files.Select(f => Path.Combine(folder, f.Path)).FirstOrDefault(File.Exists) is { } existing)
            {
                throw new UserError($"{existing} already exists: bo init makes a new project; choose another folder");
            }

            foreach (var file in files)
            {
                var path = Path.Combine(folder, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, file.Text, cancellationToken);
                if (file.Executable)
                {
                    File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                }
            }

            await context.Output.WriteLineAsync($"created project {name} in {folder} ({sample} sample): {string.Join(", ", files.Select(f => f.Path))}");
            await context.Output.WriteLineAsync($"  run it: cd {directory} && bo run {name}.dig");
            return 0;
        });
}
