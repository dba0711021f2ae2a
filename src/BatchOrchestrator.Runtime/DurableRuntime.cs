using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.Client;
using BatchOrchestrator.Runtime.Dispatch;
using BatchOrchestrator.Runtime.Execution;
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
    private readonly SqliteStore _store;
    private readonly DatabaseLock _databaseLock;
    private readonly DurableRuntimeOptions _options;
    private readonly ReadyQueue _ready = new();
    private readonly SessionCache _cache;
    private readonly CompletionSignals _signals = new();
    private readonly TurnInterrupts _interrupts = new();
    private readonly RuntimeCounters _counters = new();
    private readonly TimerQueue _timers;
    private readonly ActivityWorkerPool _activities;
    private readonly OrchestrationDispatcher _dispatcher;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private Task _running = Task.CompletedTask;
    private long _lastSeenMessageId;

    private DurableRuntime(SqliteStore store, DatabaseLock databaseLock, OrchestrationRegistry registry, DurableRuntimeOptions options, ILoggerFactory loggerFactory)
    {
        _store = store;
        _databaseLock = databaseLock;
        _options = options;
        _logger = loggerFactory.CreateLogger<DurableRuntime>();
        _cache = new SessionCache(options.MaxCachedSessions);
        _timers = new TimerQueue(options.TimeProvider, _ready.MarkReady);
        // The pool runs turns through the dispatcher made next; it calls it only once started.
        var results = new SharedResults(options.DataConverter);
        _activities = new ActivityWorkerPool(
            store,
            registry,
            options.DataConverter,
            results,
            options,
            _ready.MarkReady,
            (id, cancellation) => _dispatcher!.RunOrMarkReadyAsync(id, cancellation),
            (result, cancellation) => _dispatcher!.TryRunTurnWithResultAsync(result, cancellation),
            loggerFactory.CreateLogger<ActivityWorkerPool>());
        _dispatcher = new OrchestrationDispatcher(store, registry, options.DataConverter, results, options, _ready, _timers, _cache, _activities, _signals, _counters, _interrupts, loggerFactory);
        Client = new SqliteOrchestrationClient(store, options.DataConverter, options.TimeProvider, _ready.MarkReady, _timers.Add, _signals, _interrupts.Terminating);
    }

    /// <summary>A client bound to this runtime: its changes are picked up without polling.</summary>
    public IOrchestrationClient Client { get; }

    /// <summary>What the runtime has done so far.</summary>
    public RuntimeStatistics Statistics => _counters.Snapshot(_cache.Count, _store.Commits);

    /// <summary>The work waiting now: orchestrations for a dispatcher, activities for a worker, timers to fire (a gauge's reading).</summary>
    public RuntimeBacklog Backlog => new(_ready.Count, _activities.Queued, _timers.Count);

    /// <summary>
    /// Opens the database and starts dispatching: pending activities, due messages and timers
    /// found in the database are resumed.
    /// </summary>
    /// <exception cref="DurableStoreException">The database is in use by another runtime, read-only, corrupt or full.</exception>
    public static Task<DurableRuntime> StartAsync(
        DurableRuntimeOptions options, OrchestrationRegistry registry, ILoggerFactory? loggerFactory = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return StartAsync(options, Task.FromResult(registry), loggerFactory, cancellation);
    }

    /// <summary>
    /// As <see cref="StartAsync(DurableRuntimeOptions, OrchestrationRegistry, ILoggerFactory?, CancellationToken)"/>,
    /// for a host that composes its orchestrations while the database opens (from stores it opens
    /// meanwhile): the database is opened (created, recovered, checked) first, dispatching starts once
    /// <paramref name="registry"/> completes. If it fails, the database is closed and its error rethrown.
    /// </summary>
    public static async Task<DurableRuntime> StartAsync(
        DurableRuntimeOptions options, Task<OrchestrationRegistry> registry, ILoggerFactory? loggerFactory = null, CancellationToken cancellation = default)
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

        OrchestrationRegistry composed;
        try
        {
            composed = await registry;
        }
        catch
        {
            await store.DisposeAsync();
            databaseLock.Dispose();
            throw;
        }

        var runtime = new DurableRuntime(store, databaseLock, composed, options with { DatabasePath = path }, loggerFactory ?? NullLoggerFactory.Instance);
        try
        {
            await runtime.RecoverAsync(cancellation);
        }
        catch
        {
            await runtime.DisposeAsync();
            throw;
        }

        runtime._running = Task.WhenAll(
            runtime._dispatcher.RunAsync(runtime._stopping.Token),
            runtime._activities.RunAsync(runtime._stopping.Token),
            Task.Run(() => runtime._timers.RunAsync(runtime._stopping.Token), CancellationToken.None),
            Task.Run(() => runtime.PollAsync(runtime._stopping.Token), CancellationToken.None));
        return runtime;
    }

    private async Task RecoverAsync(CancellationToken cancellation)
    {
        foreach (var item in await _store.GetPendingActivitiesAsync(cancellation))
        {
            _activities.Enqueue(item);
        }

        await DiscoverMessagesAsync(cancellation);
    }

    /// <summary>Finds messages written since the last look (by other processes, or before a restart).</summary>
    private async Task DiscoverMessagesAsync(CancellationToken cancellation)
    {
        var (messages, lastId) = await _store.GetMessagesAfterAsync(_lastSeenMessageId, cancellation);
        _lastSeenMessageId = lastId;
        var now = _options.TimeProvider.GetUtcNow().UtcDateTime;
        foreach (var (instanceId, visibleAt, terminates) in messages)
        {
            if (terminates)
            {
                _interrupts.Terminating(instanceId); // a kill by another process stops a turn of it running here
            }

            if (visibleAt <= now)
            {
                _ready.MarkReady(instanceId);
            }
            else
            {
                _timers.Add(instanceId, visibleAt);
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.PollInterval, _options.TimeProvider, cancellation);
                await DiscoverMessagesAsync(cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
            catch (DurableStoreException e)
            {
                _logger.LogError(e, "Looking for new messages failed.");
            }
        }
    }

    /// <summary>Stops dispatching and closes the database. Work in flight is abandoned, not lost.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _interrupts.StopAll();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // Stopping is what was asked for.
        }

        await _store.DisposeAsync();
        _databaseLock.Dispose();
        _stopping.Dispose();
    }
}
