using System.Text;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Executors.Local;

/// <summary>
/// A child's combined stdout/stderr on its way into its task log. The executor's watcher thread
/// reads the pipe and hands the bytes here (<see cref="Accept"/>); appends to the log store run on
/// the thread pool, one at a time and in order, so a slow store never holds the watcher (or other
/// children's output). While more than <see cref="Backlog"/> characters wait for the store, the
/// watcher stops reading this child: the pipe is the buffer again and the child blocks on it.
/// When the log store fails, the text is kept and sent with the next append or flush: nothing read
/// is dropped. It also keeps the end of the output for error messages.
/// </summary>
internal sealed class OutputPump : IAsyncDisposable
{
    /// <summary>Characters read and not yet in the log above which reading pauses.</summary>
    public const int Backlog = 16 * 1024;

    private const int TailCapacity = 16 * 1024;

    private readonly ILogStore _logStore;
    private readonly TaskLogKey _logKey;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private readonly Lock _textGate = new();
    private readonly StringBuilder _unsent = new();
    private readonly StringBuilder _tail = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

    // Not inline: whoever waits for the end of output must not run on the watcher thread.
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _appending = Task.CompletedTask;
    private bool _appendRunning;
    private Action? _resume;

    public OutputPump(ILogStore logStore, TaskLogKey logKey)
    {
        _logStore = logStore;
        _logKey = logKey;
    }

    /// <summary>Completes at end of output (every writer — the child and anything it started — closed the pipe), or when reading stopped.</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Takes bytes read from the pipe (on the watcher thread) and starts their append. Returns false
    /// when the backlog is full: <paramref name="resume"/> is called once the store has caught up.
    /// </summary>
    public bool Accept(ReadOnlySpan<byte> bytes, Action resume)
    {
        Span<char> chars = stackalloc char[2048];
        while (!bytes.IsEmpty)
        {
            // A chunk of bytes may end inside a character: the decoder keeps its first bytes for the next read.
            _decoder.Convert(bytes, chars, flush: false, out var used, out var count, out _);
            Keep(chars[..count]);
            bytes = bytes[used..];
        }

        lock (_textGate)
        {
            StartAppend();
            if (_unsent.Length <= Backlog)
            {
                return true;
            }

            _resume = resume;
            return false;
        }
    }

    /// <summary>End of output (on the watcher thread): the last partial character, if any, is kept as U+FFFD.</summary>
    public void End()
    {
        Span<char> chars = stackalloc char[8];
        _decoder.Convert([], chars, flush: true, out _, out var count, out _);
        if (count > 0)
        {
            Keep(chars[..count]);
            lock (_textGate)
            {
                StartAppend();
            }
        }

        _completion.TrySetResult();
    }

    /// <summary>Appends whatever was read and not yet in the log.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _appendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendUnsentAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _appendGate.Release();
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of output read so far.</summary>
    public string Tail(int lines)
    {
        string text;
        lock (_textGate)
        {
            text = _tail.ToString();
        }

        var all = text.TrimEnd('\n', '\r').Split('\n');
        return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
    }

    /// <summary>Stops appending (the watcher has stopped reading first); what was not sent stays unsent.</summary>
    public async ValueTask DisposeAsync()
    {
        _completion.TrySetResult();
        _stop.Cancel();
        Task appending;
        lock (_textGate)
        {
            appending = _appending;
        }

        await appending.ConfigureAwait(false);
        _stop.Dispose();
        _appendGate.Dispose();
    }

    private void Keep(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        lock (_textGate)
        {
            _unsent.Append(text);
            _tail.Append(text);
            if (_tail.Length > 2 * TailCapacity)
            {
                _tail.Remove(0, _tail.Length - TailCapacity);
            }
        }
    }

    /// <summary>Under <see cref="_textGate"/>: one append loop at a time, on the thread pool.</summary>
    private void StartAppend()
    {
        if (_appendRunning || _unsent.Length == 0 || _stop.IsCancellationRequested)
        {
            return;
        }

        _appendRunning = true;
        _appending = Task.Run(AppendUntilSentAsync, CancellationToken.None);
    }

    private async Task AppendUntilSentAsync()
    {
        var failed = false;
        try
        {
            await _appendGate.WaitAsync(_stop.Token).ConfigureAwait(false);
            try
            {
                while (!_stop.IsCancellationRequested && HasUnsent())
                {
                    await SendUnsentAsync(_stop.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _appendGate.Release();
            }
        }
        catch (Exception)
        {
            // Kept in _unsent (or stopped on purpose); the next read or FlushAsync retries and reports a lasting failure.
            failed = true;
        }

        Action? resume;
        lock (_textGate)
        {
            _appendRunning = false;
            resume = _resume;
            _resume = null;
            if (!failed && _unsent.Length > 0)
            {
                // Read between the loop's last check and here.
                StartAppend();
            }
        }

        // After a failure too: a store that keeps failing must not stop the child (the text is kept here).
        resume?.Invoke();
    }

    private bool HasUnsent()
    {
        lock (_textGate)
        {
            return _unsent.Length > 0;
        }
    }

    private async Task SendUnsentAsync(CancellationToken cancellationToken)
    {
        string text;
        lock (_textGate)
        {
            if (_unsent.Length == 0)
            {
                return;
            }

            text = _unsent.ToString();
            _unsent.Clear();
        }

        try
        {
            await _logStore.AppendAsync(_logKey, text, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_textGate)
            {
                _unsent.Insert(0, text);
            }

            throw;
        }
    }
}
