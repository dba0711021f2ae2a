using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Client;
using BatchOrchestrator.Runtime.Dispatch;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BatchOrchestrator.Runtime;

/// <summary>
/// The embedded durable runtime: runs registered orchestrators and activities from a SQLite
/// database, with Durable Task's semantics (replay from history, at-least-once activities,
/// durable timers, sub-orchestrations and events that survive restarts). One runtime per
/// database at a time, enforced across processes. Dispose to stop; what was not committed
/// is redone by the next runtime on the same database.
/// </summary>
public sealed class DurableRuntime : IAsyncDisposable
{
    private readonly SqliteStore store;
    private readonly DatabaseLock databaseLock;
    private readonly DurableRuntimeOptions options;
    private readonly ReadyQueue ready = new();
    private readonly SessionCache cache;
    private readonly CompletionSignals signals = new();
    private readonly RuntimeCounters counters = new();
    private readonly TimerQueue timers;
    private readonly ActivityWorkerPool activities;
    private readonly OrchestrationDispatcher dispatcher;
    private readonly CancellationTokenSource stopping = new();
    private readonly ILogger logger;
    private Task running = Task.CompletedTask;
    private long lastSeenMessageId;

    private DurableRuntime(SqliteStore store, DatabaseLock databaseLock, OrchestrationRegistry registry, DurableRuntimeOptions options, ILoggerFactory loggerFactory)
    {
        this.store = store;
        this.databaseLock = databaseLock;
        this.options = options;
        logger = loggerFactory.CreateLogger<DurableRuntime>();
        cache = new SessionCache(options.MaxCachedSessions);
        timers = new TimerQueue(options.TimeProvider, ready.MarkReady);
        // The pool runs turns through the dispatcher made next; it calls it only once started.
        activities = new ActivityWorkerPool(
            store, registry, options.DataConverter, options, ready.MarkReady, (id, cancellation) => dispatcher!.RunOrMarkReadyAsync(id, cancellation), loggerFactory.CreateLogger<ActivityWorkerPool>());
        dispatcher = new OrchestrationDispatcher(store, registry, options.DataConverter, options, ready, timers, cache, activities, signals, counters, loggerFactory);
        Client = new SqliteOrchestrationClient(store, options.DataConverter, options.TimeProvider, ready.MarkReady, timers.Add, signals);
    }

    /// <summary>A client bound to this runtime: its changes are picked up without polling.</summary>
    public IOrchestrationClient Client { get; }

    /// <summary>What the runtime has done so far.</summary>
    public RuntimeStatistics Statistics => counters.Snapshot(cache.Count);

    /// <summary>
    /// Opens the database and starts dispatching: pending activities, due messages and timers
    /// found in the database are resumed.
    /// </summary>
    /// <exception cref="DurableStoreException">The database is in use by another runtime, read-only, corrupt or full.</exception>
    public static async Task<DurableRuntime> StartAsync(
        DurableRuntimeOptions options, OrchestrationRegistry registry, ILoggerFactory? loggerFactory = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        var path = Path.GetFullPath(options.DatabasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var databaseLock = DatabaseLock.Acquire(path);
        SqliteStore store;
        try
        {
            store = await SqliteStore.OpenAsync(new SqliteStoreOptions(path, options.SynchronousCommits, options.MaxDatabaseBytes), cancellation);
        }
        catch
        {
            databaseLock.Dispose();
            throw;
        }

        var runtime = new DurableRuntime(store, databaseLock, registry, options with { DatabasePath = path }, loggerFactory ?? NullLoggerFactory.Instance);
        try
        {
            await runtime.RecoverAsync(cancellation);
        }
        catch
        {
            await runtime.DisposeAsync();
            throw;
        }

        runtime.running = Task.WhenAll(
            runtime.dispatcher.RunAsync(runtime.stopping.Token),
            runtime.activities.RunAsync(runtime.stopping.Token),
            Task.Run(() => runtime.timers.RunAsync(runtime.stopping.Token), CancellationToken.None),
            Task.Run(() => runtime.PollAsync(runtime.stopping.Token), CancellationToken.None));
        return runtime;
    }

    private async Task RecoverAsync(CancellationToken cancellation)
    {
        foreach (var item in await store.GetPendingActivitiesAsync(cancellation))
        {
            activities.Enqueue(item);
        }

        await DiscoverMessagesAsync(cancellation);
    }

    /// <summary>Finds messages written since the last look (by other processes, or before a restart).</summary>
    private async Task DiscoverMessagesAsync(CancellationToken cancellation)
    {
        var (messages, lastId) = await store.GetMessagesAfterAsync(lastSeenMessageId, cancellation);
        lastSeenMessageId = lastId;
        var now = options.TimeProvider.GetUtcNow().UtcDateTime;
        foreach (var (instanceId, visibleAt) in messages)
        {
            if (visibleAt <= now)
            {
                ready.MarkReady(instanceId);
            }
            else
            {
                timers.Add(instanceId, visibleAt);
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.PollInterval, options.TimeProvider, cancellation);
                await DiscoverMessagesAsync(cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            catch (DurableStoreException e)
            {
                logger.LogError(e, "Looking for new messages failed.");
            }
        }
    }

    /// <summary>Stops dispatching and closes the database. Work in flight is abandoned, not lost.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // Stopping is what was asked for.
        }

        await store.DisposeAsync();
        databaseLock.Dispose();
        stopping.Dispose();
    }
}
