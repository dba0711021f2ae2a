using System.Net;
using BatchOrchestrator.Executors.Hosting;
using BatchOrchestrator.Runtime.Storage;
using BatchOrchestrator.Server.Local;
using BatchOrchestrator.Server;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>The arguments of <c>bo server</c>.</summary>
public sealed record ServerCommandOptions
{
    public string? ProjectDirectory { get; init; }

    public string? ProjectsRoot { get; init; }

    public string? StateDirectory { get; init; }

    public int Port { get; init; } = ServerOptions.DefaultPort;

    public string Bind { get; init; } = "127.0.0.1";

    public string? Token { get; init; }

    /// <summary>A file holding the token (<c>--token-file</c>), which unlike <c>--token</c> does not show in the process list.</summary>
    public string? TokenFile { get; init; }

    /// <summary>Names the server is reached by besides loopback names and IP addresses (<c>--host-name</c>, also <c>BO_HOST_NAMES</c>, comma-separated).</summary>
    public IReadOnlyList<string> HostNames { get; init; } = [];
}

/// <summary>
/// <c>bo server</c>: serves the HTTP API and the web UI over the local engine until Ctrl-C. The
/// projects are one folder (<c>--project</c>, default: the current folder) or every project
/// folder under <c>--projects-root</c>, plus projects pushed over the API.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ServerCommand(CliContext context)
{
    public Task<int> RunAsync(ServerCommandOptions options, CancellationToken cancellationToken) =>
        UserErrors.ReportAsync(context.Error, async () =>
        {
            ArgumentNullException.ThrowIfNull(options);
            if (options.ProjectDirectory is not null && options.ProjectsRoot is not null)
            {
                throw new UserError("give --project or --projects-root, not both", 2);
            }

            if (!IPAddress.TryParse(options.Bind, out var bind))
            {
                throw new UserError($"--bind '{options.Bind}': expected an IP address such as 127.0.0.1 or 0.0.0.0", 2);
            }

            if (options.Port is < 0 or > 65535)
            {
                throw new UserError($"--port {options.Port}: expected 0-65535 (0 picks a free port)", 2);
            }

            var root = options.ProjectsRoot is null ? null : Path.GetFullPath(options.ProjectsRoot);
            var project = root is null ? Path.GetFullPath(options.ProjectDirectory ?? ".") : null;
            var state = options.StateDirectory is { } given ? Path.GetFullPath(given) : Path.Combine(root ?? project!, StateLocation.DefaultStateFolder);
            Storage.Blob.Projects.BlobProjectStore? pushedProjects;
            try
            {
                pushedProjects = Storage.Blob.ProjectStoreConfiguration.FromEnvironment(Path.Combine(state, "project-cache"), context.Clock);
            }
            catch (ArgumentException e)
            {
                throw new UserError(e.Message, 2);
            }

            var serverOptions = new ServerOptions(state)
            {
                ProjectDirectory = project,
                ProjectsRoot = root,
                Bind = bind,
                Port = options.Port,
                Token = Remote.ApiToken.Resolve(options.Token, options.TokenFile),
                HostNames = [.. options.HostNames, .. (Environment.GetEnvironmentVariable("BO_HOST_NAMES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                ActivityWorkers = context.ActivityWorkers,
                ExtraExecutors = await ExecutorConfiguration.ReadAsync(ExecutorConfiguration.ProcessEnvironment(), cancellationToken: cancellationToken),
                SecretStore = await SecretStoreConfiguration.SecretStoreAsync(ExecutorConfiguration.ProcessEnvironment(), state, Storage.Files.SecretKeySource.FromEnvironment(), cancellationToken: cancellationToken),
                PushedProjects = pushedProjects,
                Clock = context.Clock,
            };

            ServerHost host;
            try
            {
                host = await ServerHost.StartAsync(serverOptions, cancellationToken);
            }
            catch (ServerConfigurationException e)
            {
                throw new UserError(e.Message, 2);
            }
            catch (DurableStoreException e) when (e.Failure == Engine.Stores.StoreFailure.InUse)
            {
                throw new UserError($"cannot open the state folder {state}: {e.Message}" + Environment.NewLine +
                    "  Another `bo server` or `bo run` is probably using it: stop it first, or pass --state.");
            }
            catch (Exception e) when (StateFolderErrors.For(state, e) is { } line)
            {
                throw new UserError(line);
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new UserError($"cannot listen on {options.Bind}:{options.Port}: the port is in use (another bo server?): stop what uses it, or choose another with --port (0 picks a free one)");
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException || e.InnerException is System.Net.Sockets.SocketException)
            {
                throw new UserError($"cannot listen on {options.Bind}:{options.Port}: {e.Message} (--bind takes an address of this machine, such as 127.0.0.1 or 0.0.0.0)");
            }

            await using (host)
            {
                // `bo run`, `bo retry` and `bo kill` on this state folder find the server here and go through it.
                await Remote.ServerAddressFile.WriteAsync(state, new Remote.ServerAddress(host.Address.ToString(), serverOptions.Token, Environment.ProcessId), cancellationToken);
                await context.Output.WriteLineAsync($"bo server listening on {host.Address} (projects: {root ?? project}; state: {state})");
                await context.Output.FlushAsync(cancellationToken);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    await context.Output.WriteLineAsync("bo server stopping: running attempts are saved and carried on by the next server on this state folder");
                }
                finally
                {
                    Remote.ServerAddressFile.Delete(state, Environment.ProcessId);
                }
            }

            return 0;
        });
}
