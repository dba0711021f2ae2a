using System.Buffers;
using System.IO.Pipes;
using System.Text;
using BatchOrchestrator.Engine.Stores;
using Microsoft.Win32.SafeHandles;

namespace BatchOrchestrator.Executors.Local;

/// <summary>
/// Streams a child's combined stdout/stderr into its task log while it runs. Reads are async on
/// the runtime's event loop (no thread per child); text read is appended before the next read, so
/// the pipe itself is the buffer and order is kept. When the log store fails, the text is kept
/// and sent with the next append or flush: nothing read is dropped. It also keeps the end of the
/// output for error messages.
/// </summary>
internal sealed class OutputPump : IAsyncDisposable
{
    private const int TailCapacity = 16 * 1024;

    private readonly AnonymousPipeClientStream _pipe;
    private readonly ILogStore _logStore;
    private readonly TaskLogKey _logKey;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private readonly Lock _textGate = new();
    private readonly StringBuilder _unsent = new();
    private readonly StringBuilder _tail = new();
    private readonly Task _completion;

    public OutputPump(int fd, ILogStore logStore, TaskLogKey logKey)
    {
        _pipe = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(fd, ownsHandle: true));
        _logStore = logStore;
        _logKey = logKey;
        _completion = PumpAsync();
    }

    /// <summary>Completes at end of output: every writer (the child and anything it started) has closed the pipe.</summary>
    public Task Completion => _completion;

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

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _pipe.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _completion.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The pump was stopped on purpose.
        }

        _stop.Dispose();
        _appendGate.Dispose();
    }

    private async Task PumpAsync()
    {
        // Pooled: most commands write little or nothing, and ~50 KB of fresh buffers per command was
        // a good part of what a short command allocated.
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(BufferSize));
        try
        {
            var decoder = Encoding.UTF8.GetDecoder();
            while (true)
            {
                var read = await _pipe.ReadAsync(buffer.AsMemory(0, BufferSize), _stop.Token).ConfigureAwait(false);
                var count = decoder.GetChars(buffer, 0, read, chars, 0, flush: read == 0);
                if (count > 0)
                {
                    Keep(chars.AsSpan(0, count));
                    await AppendQuietlyAsync().ConfigureAwait(false);
                }

                if (read == 0)
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private const int BufferSize = 16 * 1024;

    private void Keep(ReadOnlySpan<char> text)
    {
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

    private async Task AppendQuietlyAsync()
    {
        await _appendGate.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            await SendUnsentAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Kept in _unsent; the next append or FlushAsync retries and reports a lasting failure.
        }
        finally
        {
            _appendGate.Release();
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
