using System.Net.Http.Headers;
using System.Reflection;
using BatchOrchestrator.Api;
using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Cli.Remote;

namespace BatchOrchestrator.Cli.Client;

/// <summary>
/// Digdag's everyday client commands against a server (<c>bo server</c>, or the Functions app with
/// its key as <c>?code=</c> in the address): <c>bo push</c> sends a project folder as a new
/// revision, <c>bo workflows</c> lists what the server runs, <c>bo download</c> fetches a
/// project's current files, <c>bo delete</c> takes a project off the server; and <c>bo version</c>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProjectCommands(CliContext context)
{
    public async Task<int> PushAsync(ServerClient client, string folder, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var full = Path.GetFullPath(folder);
        var project = string.IsNullOrEmpty(name) ? new DirectoryInfo(full).Name : name;
        var archive = await ProjectArchive.CreateAsync(full, cancellationToken);
        using var content = new ByteArrayContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        var pushed = ServerClient.Read<ProjectView>(await client.PutAsync($"api/projects/{ServerClient.Escape(project)}", content, cancellationToken));
        await context.Output.WriteLineAsync($"pushed project {pushed.Name} to {client.Endpoint}: revision {pushed.Revision}, workflows {string.Join(", ", pushed.Workflows)}");
        return 0;
    }

    public async Task<int> WorkflowsAsync(ServerClient client, string? project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var projects = await client.GetAsync<List<ProjectView>>("api/projects", cancellationToken) ?? [];
        var shown = projects.Where(p => project is null || p.Name == project).ToList();
        if (project is not null && shown.Count == 0)
        {
            throw new UserError($"the server has no project '{project}' (it has: {string.Join(", ", projects.Select(p => p.Name))})");
        }

        var table = new TextTable("project", "workflow", "revision");
        foreach (var p in shown)
        {
            foreach (var workflow in p.Workflows)
            {
                table.Add(p.Name, workflow, p.Revision);
            }
        }

        table.Write(context.Output);
        return 0;
    }

    public async Task<int> DownloadAsync(ServerClient client, string project, string? folder, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var target = Path.GetFullPath(string.IsNullOrEmpty(folder) ? project : folder);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !force)
        {
            throw new UserError($"{target} is not empty: download into a new or empty folder (-o DIR), or add --force to write over its files", 2);
        }

        var archive = await client.GetBytesAsync($"api/projects/{ServerClient.Escape(project)}/archive", cancellationToken);
        var files = await ProjectDownload.ReadAsync(archive, cancellationToken);
        await ProjectDownload.WriteAsync(target, files, cancellationToken);
        await context.Output.WriteLineAsync($"downloaded project {project} from {client.Endpoint} into {target}: {files.Count} files");
        return 0;
    }

    public async Task<int> DeleteAsync(ServerClient client, string project, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!force)
        {
            if (!context.InputIsTerminal)
            {
                throw new UserError($"bo delete asks for confirmation, and no one is at a terminal to give it: add --force to delete project {project}", 2);
            }

            await context.Output.WriteAsync($"delete project {project} from {client.Endpoint}? Its workflows stop running and its schedules are dropped. [y/N] ");
            if ((await context.Input.ReadLineAsync(cancellationToken))?.Trim().ToLowerInvariant() is not ("y" or "yes"))
            {
                await context.Output.WriteLineAsync("not deleted");
                return 1;
            }
        }

        await client.DeleteAsync($"api/projects/{ServerClient.Escape(project)}", cancellationToken);
        await context.Output.WriteLineAsync($"deleted project {project} from {client.Endpoint}");
        return 0;
    }

    public async Task<int> VersionAsync()
    {
        var assembly = typeof(ProjectCommands).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
        await context.Output.WriteLineAsync($"bo {version} (.NET {Environment.Version})");
        return 0;
    }
}
