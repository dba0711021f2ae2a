using System.Net;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Server;

/// <summary>What <c>bo server</c> serves and where it listens.</summary>
/// <param name="StateDirectory">The state folder: runtime database, records, logs, revisions, pushed projects.</param>
public sealed record ServerOptions(string StateDirectory)
{
    /// <summary>One project folder (<c>--project</c>).</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary>A folder whose subfolders with <c>.dig</c> files are projects (<c>--projects-root</c>).</summary>
    public string? ProjectsRoot { get; init; }

    /// <summary>The address to listen on; loopback by default, anything else needs <see cref="Token"/>.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>Digdag's server port, so its users find it where they expect.</summary>
    public const int DefaultPort = 65432;

    /// <summary>The port; 0 picks a free one (the host's Address tells which).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The API token (<c>--token</c>, <c>BO_API_TOKEN</c>).</summary>
    public string? Token { get; init; }

    /// <summary>Names the server is reached by besides loopback names and IP addresses (<c>--host-name</c>, <c>BO_HOST_NAMES</c>).</summary>
    public IReadOnlyList<string> HostNames { get; init; } = [];

    public int? ActivityWorkers { get; init; }

    /// <summary>Container executors from the host's environment (docs/executors.md).</summary>
    public IReadOnlyList<Func<ILogStore, ICommandExecutor>> ExtraExecutors { get; init; } = [];

    /// <summary>The secret store the host's environment chose (<c>BO_SECRETS</c>); the state folder's encrypted file when null.</summary>
    public Engine.Secrets.ISecretStore? SecretStore { get; init; }

    /// <summary>
    /// Pushed projects in Blob storage (<c>BO_PROJECT_BLOB_*</c>; <see cref="Storage.Blob.ProjectStoreConfiguration"/>),
    /// shared by every server on the same container; pushes go to the state folder when null.
    /// </summary>
    public Storage.Blob.Projects.BlobProjectStore? PushedProjects { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The host's environment (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> turns OTLP export on).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
