using BatchOrchestrator.Api;
using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Remote;

/// <summary>One try's log of a task: <see cref="Try"/> counts from 1 in the task's tries; <see cref="Id"/> says where to read it.</summary>
public sealed record TaskLogTry(string TaskName, int Try, string Id);

/// <summary>
/// Where the state commands read records and logs: a local state folder, or a server
/// (<c>-e/--endpoint</c>). The commands print the same either way.
/// </summary>
public abstract class RunSource : IAsyncDisposable
{
    public abstract IRunStore Runs { get; }

    /// <summary>Where a person finds a task's log on this machine; null when it is elsewhere (on a server).</summary>
    public abstract string? LocalLogPath(TaskRecord task);

    /// <summary>The log tries of the tasks, in task order.</summary>
    public abstract Task<IReadOnlyList<TaskLogTry>> LogTriesAsync(string attemptId, IReadOnlyList<TaskRecord> tasks, CancellationToken cancellationToken);

    /// <summary>A try's log bytes from an offset (UTF-8; may end inside a character).</summary>
    public abstract Task<byte[]> ReadLogAsync(TaskLogTry log, long offset, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>The source <paramref name="options"/> name: the server at its endpoint, else the local state folder.</summary>
    public static async Task<RunSource> OpenAsync(StateOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Endpoint is { } endpoint)
        {
            return new Server(new ServerClient(endpoint, options.Token));
        }

        return new Local(await options.Resolve().OpenStateAsync(cancellationToken));
    }

    private sealed class Local(LocalState state) : RunSource
    {
        public override IRunStore Runs => state.Runs;

        public override string? LocalLogPath(TaskRecord task) =>
            task.LogReference is { } log && File.Exists(LocalState.LogPathOf(state.Directory, log)) ? LocalState.LogPathOf(state.Directory, log) : null;

        public override Task<IReadOnlyList<TaskLogTry>> LogTriesAsync(string attemptId, IReadOnlyList<TaskRecord> tasks, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<TaskLogTry>>([.. tasks.SelectMany(t => TaskLogFiles.Of(state.Directory, t)).Select(f => new TaskLogTry(f.TaskName, f.Try, f.Path))]);

        public override async Task<byte[]> ReadLogAsync(TaskLogTry log, long offset, CancellationToken cancellationToken)
        {
            await using var stream = new FileStream(log.Id, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length <= offset)
            {
                return [];
            }

            stream.Seek(offset, SeekOrigin.Begin);
            var bytes = new byte[stream.Length - offset];
            var read = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken);
            return bytes[..read];
        }

        public override ValueTask DisposeAsync() => state.DisposeAsync();
    }

    private sealed class Server(ServerClient client) : RunSource
    {
        private readonly RemoteRunStore _runs = new(client);

        public override IRunStore Runs => _runs;

        public override string? LocalLogPath(TaskRecord task) => null;

        public override async Task<IReadOnlyList<TaskLogTry>> LogTriesAsync(string attemptId, IReadOnlyList<TaskRecord> tasks, CancellationToken cancellationToken)
        {
            var files = await client.GetAsync<List<LogFileView>>($"api/attempts/{ServerClient.Escape(attemptId)}/logs", cancellationToken) ?? [];
            var wanted = tasks.Select(t => t.TaskName).ToList();
            return [.. files
                .Where(f => wanted.Contains(f.Task))
                .GroupBy(f => f.Task)
                .OrderBy(g => wanted.IndexOf(g.Key))
                .SelectMany(g => g.OrderBy(f => f.Try).Select((f, i) => new TaskLogTry(f.Task, i + 1, $"api/attempts/{ServerClient.Escape(attemptId)}/logs/{ServerClient.Escape(f.Task)}?try={f.Try}")))];
        }

        /// <summary>The log from <paramref name="offset"/> to its end: the server answers a long log in parts, read until one is empty.</summary>
        public override async Task<byte[]> ReadLogAsync(TaskLogTry log, long offset, CancellationToken cancellationToken)
        {
            using var all = new MemoryStream();
            while (true)
            {
                var part = System.Text.Encoding.UTF8.GetBytes(await client.GetTextAsync($"{log.Id}&offset={offset + all.Length}", cancellationToken));
                if (part.Length == 0)
                {
                    return all.ToArray();
                }

                all.Write(part);
            }
        }

        public override ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
