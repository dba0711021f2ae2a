using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Executors.Hosting;
using BatchOrchestrator.Server.Local;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>What <c>bo secrets</c> was asked to do: exactly one of set, delete and list.</summary>
/// <param name="Set"><c>key=value</c>, or <c>key</c> to read the value from stdin.</param>
/// <param name="Delete">The key to remove.</param>
/// <param name="List">List the project's secret names.</param>
/// <param name="StateDirectory">The state folder (default: the project's <c>.bo</c>).</param>
/// <param name="ProjectDirectory">The project folder (default: the current folder); its name is the project's name.</param>
public sealed record SecretsRequest(string? Set, string? Delete, bool List, string? StateDirectory, string? ProjectDirectory);

/// <summary>
/// <c>bo secrets --set key=value | --set key | --delete key | --list [--state DIR] [--project DIR]</c>:
/// edits the local encrypted secret store of a project. Never prints a value. <c>--set key</c>
/// reads the value from stdin (one trailing line break dropped), which keeps it out of shell
/// history and the process list, unlike <c>--set key=value</c>.
/// Exit 0 on success, 1 when the store refuses (a wrong key, a key not set), 2 on a usage error.
/// </summary>
public sealed class SecretsCommand(TextReader input, TextWriter output, TextWriter error)
{
    public async Task<int> RunAsync(SecretsRequest request, SecretKeySource key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.Set is not null ? 1 : 0) + (request.Delete is not null ? 1 : 0) + (request.List ? 1 : 0) != 1)
        {
            await error.WriteLineAsync("bo secrets: give exactly one of --set key[=value], --delete key, --list");
            return 2;
        }

        var projectDirectory = Path.GetFullPath(request.ProjectDirectory ?? ".");
        var project = new DirectoryInfo(projectDirectory).Name;
        // The store the engine reads (BO_SECRETS: the encrypted file by default, Key Vault, a Kubernetes Secret).
        var store = await SecretStoreConfiguration.SecretStoreAsync(ExecutorConfiguration.ProcessEnvironment(), request.StateDirectory ?? Path.Combine(projectDirectory, ".bo"), key, cancellationToken: cancellationToken);
        try
        {
            if (request.List)
            {
                foreach (var listed in await store.ListAsync(project, cancellationToken))
                {
                    await output.WriteLineAsync(listed);
                }

                return 0;
            }

            if (request.Delete is { } deleted)
            {
                if (!await store.DeleteAsync(project, deleted, cancellationToken))
                {
                    await error.WriteLineAsync($"bo secrets: secret '{deleted}' is not set for project '{project}'");
                    return 1;
                }

                await output.WriteLineAsync($"secret '{deleted}' deleted from project '{project}'");
                return 0;
            }

            var (name, value) = await ReadSetAsync(request.Set!, cancellationToken);
            if (!SecretNames.IsValid(name))
            {
                await error.WriteLineAsync($"bo secrets: '{name}' is not a valid secret key: use letters, digits, '_', '-' and '.', starting with a letter or '_' (e.g. api.token)");
                return 2;
            }

            if (value.Length == 0)
            {
                await error.WriteLineAsync($"bo secrets: the value of '{name}' is empty");
                return 2;
            }

            await store.SetAsync(project, name, value, cancellationToken);
            await output.WriteLineAsync($"secret '{name}' set for project '{project}'");
            return 0;
        }
        catch (SecretStoreException e)
        {
            await error.WriteLineAsync($"bo secrets: {e.Message}");
            return 1;
        }
    }

    private async Task<(string Name, string Value)> ReadSetAsync(string set, CancellationToken cancellationToken)
    {
        var equals = set.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0)
        {
            return (set[..equals], set[(equals + 1)..]);
        }

        var value = await input.ReadToEndAsync(cancellationToken);
        value = value.EndsWith("\r\n", StringComparison.Ordinal) ? value[..^2] : value.EndsWith('\n') ? value[..^1] : value;
        return (set, value);
    }
}
