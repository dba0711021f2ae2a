using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Storage.Sqlite;

/// <summary>
/// The one connection that writes, with group commit: callers queue writes, and one loop commits
/// everything queued so far in a single transaction. Many activity workers writing at once then
/// cost one commit per batch instead of one each, and never wait on SQLite's busy handler for
/// each other. A caller's write is durable when its task completes. If a batch fails, its writes
/// are retried one by one, so one bad record fails only its own caller.
/// <para>A write that finds the writer idle (nothing queued, no batch committing) is committed on
/// the caller's thread before the call returns, as a batch of one: a lone write, such as the mark a
/// <c>sh&gt;</c> launch commits before its command starts, does not pay two thread hand-offs (to the
/// loop and back) on top of its commit. Writes queued earlier still commit first: the loop holds the
/// connection from taking a batch off the queue until it is committed, so an idle writer means
/// nothing written earlier is still waiting.</para>
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    // Bounds a transaction's size, so a flood of writes still commits (and answers) in steps.
    private const int MaxBatch = 20_000;

    private readonly SqliteConnection _connection;
    private readonly WriteCommands _commands;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    // The connection is used by one thread at a time: the loop for a batch, or a caller that found it idle.
    private readonly Lock _connectionGate = new();
    private bool _closed;
    // Writes in the queue not yet taken by the loop (the single-reader channel cannot count them).
    private int _queued;

    public SqliteWriter(SqliteConnection connection)
    {
        _connection = connection;
        _commands = new WriteCommands(connection);
        // SQLite calls block; the loop runs them on a pool thread instead of on a caller's.
        _loop = Task.Run(RunAsync);
    }

    public Task<T> WriteAsync<T>(Func<WriteCommands, SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Volatile.Read(ref _queued) == 0 && _connectionGate.TryEnter())
        {
            try
            {
                // Checked again under the gate: a write may have been queued meanwhile, and must stay ahead.
                if (Volatile.Read(ref _queued) == 0 && !_closed)
                {
                    return Task.FromResult(WriteNow(write));
                }
            }
            catch (Exception error)
            {
                return Task.FromException<T>(error);
            }
            finally
            {
                _connectionGate.Exit();
            }
        }

        var pending = new PendingWrite<T>(write, cancellationToken);
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _queued);
            throw new ObjectDisposedException(nameof(SqliteRunStore));
        }

        // Cancelling stops the wait only: the write is idempotent, so applying it anyway is harmless.
        return pending.Completion.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            using var connection = _connectionGate.EnterScope();
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                Interlocked.Decrement(ref _queued);
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Cancel();
                }
                else
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count > 0)
            {
                Commit(batch);
            }
        }
    }

    private void Commit(List<PendingWrite> batch)
    {
        try
        {
            ApplyInOneTransaction(batch);
            batch.ForEach(pending => pending.Succeed());
        }
        catch (Exception) when (batch.Count > 1)
        {
            foreach (var pending in batch)
            {
                Commit([pending]);
            }
        }
        catch (Exception error)
        {
            batch[0].Fail(error);
        }
    }

    private T WriteNow<T>(Func<WriteCommands, SqliteTransaction, T> write)
    {
        using var transaction = _connection.BeginTransaction();
        var result = write(_commands, transaction);
        transaction.Commit();
        return result;
    }

    private void ApplyInOneTransaction(List<PendingWrite> batch)
    {
        using var transaction = _connection.BeginTransaction();
        foreach (var pending in batch)
        {
            pending.Apply(_commands, transaction);
        }

        transaction.Commit();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        lock (_connectionGate)
        {
            _closed = true;
        }

        _commands.Dispose();
        await _connection.DisposeAsync();
    }
}
