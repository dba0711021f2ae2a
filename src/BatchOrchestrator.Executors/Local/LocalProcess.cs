using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Executors.Local.Native;

namespace BatchOrchestrator.Executors.Local;

/// <summary>
/// One launched try in this host: the child, its output pump, its deadline, and — once it has
/// finished — the one status every later poll returns.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LocalProcess : IAsyncDisposable
{
    /// <summary>Whether a host that stopped had started this try before (see <see cref="CommandStatus.Restarted"/>).</summary>
    public bool Restarted { get; init; }

    private readonly ChildWatcher _watcher;
    private readonly WatchedChild _child;
    private readonly LocalExecutorOptions _options;
    private readonly TimeSpan? _timeout;
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private readonly Lock _gate = new();
    private Task<CommandStatus>? _finished;
    private string? _stopReason;

    public LocalProcess(LocalCommandData data, WatchedChild child, string outputFile, TimeSpan? timeout, ChildWatcher watcher, LocalExecutorOptions options)
    {
        Data = data;
        _child = child;
        OutputFile = outputFile;
        _timeout = timeout;
        _watcher = watcher;
        _options = options;
    }

    public LocalCommandData Data { get; }

    public Task<WaitStatus> Exit => _child.Exit;

    public OutputPump Pump => _child.Pump;

    public string OutputFile { get; }

    // Serialized once: every status of the command (launch, poll, finish) carries it.
    public CommandState State => _state ??= Data.ToState();

    private CommandState? _state;

    /// <summary>Waits up to the poll window (or the deadline, if sooner) for the exit.</summary>
    public async Task<CommandStatus> PollAsync(CancellationToken cancellationToken)
    {
        if (!Exit.IsCompleted)
        {
            var wait = _options.PollWindow;
            var remaining = _timeout - Stopwatch.GetElapsedTime(_startedAt);
            if (remaining < wait)
            {
                wait = remaining.Value < TimeSpan.Zero ? TimeSpan.Zero : remaining.Value;
            }

            if (wait > TimeSpan.Zero)
            {
                // The watcher completes the exit (after reading what the child wrote): this waits on it, with one timer for the window.
                await WithinAsync(Exit, wait, cancellationToken).ConfigureAwait(false);
            }

            if (!Exit.IsCompleted && Stopwatch.GetElapsedTime(_startedAt) >= _timeout)
            {
                await StopAsync($"Command timed out after {Describe(_timeout.Value)} and was killed.", TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!Exit.IsCompleted)
        {
            return new CommandStatus { Phase = CommandPhase.Running, State = State };
        }

        lock (_gate)
        {
            _finished ??= FinishAsync();
        }

        return await _finished.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the whole process group: SIGTERM, then SIGKILL after <paramref name="grace"/> (at once
    /// when it is zero). The SIGKILL also reaches children that outlived the leader.
    /// </summary>
    public async Task StopAsync(string reason, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (Exit.IsCompleted)
        {
            return;
        }

        lock (_gate)
        {
            _stopReason ??= reason;
        }

        if (grace > TimeSpan.Zero && _watcher.SignalGroup(_child, LibC.SIGTERM))
        {
            await Task.WhenAny(Exit, Task.Delay(grace, cancellationToken)).ConfigureAwait(false);
        }

        if (!_watcher.SignalGroup(_child, LibC.SIGKILL))
        {
            // The leader is reaped, but the group lives on while any member does (which keeps the
            // id from being reused), so this reaches only stragglers of this very command.
            LibC.kill(-Data.Pid, LibC.SIGKILL);
        }

        await Exit.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Exit.IsCompleted)
        {
            await StopAsync("The executor was shut down.", TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
        }

        _watcher.StopReading(_child);
        await Pump.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<CommandStatus> FinishAsync()
    {
        var status = await Exit.ConfigureAwait(false);
        // Normally the output ends with the process; a background child holding stdout must not hold the task.
        await WithinAsync(Pump.Completion, _options.OutputDrainTimeout, CancellationToken.None).ConfigureAwait(false);

        // Small local files: synchronous reads cost less than a thread-pool hop.
        var output = File.Exists(OutputFile) ? File.ReadAllText(OutputFile) : null;

        string? stopReason;
        lock (_gate)
        {
            stopReason = _stopReason;
        }

        if (stopReason is null && status.ExitCode == 0)
        {
            return new CommandStatus { Phase = CommandPhase.Succeeded, State = State, ExitCode = 0, OutputText = output };
        }

        var message = new StringBuilder(stopReason ?? (status.Signal is { } signal
            ? $"Command was killed by signal {signal}."
            : $"Command failed with exit code {status.ExitCode}."));
        var tail = Pump.Tail(_options.FailureTailLines);
        message.Append(tail.Length == 0 ? " It wrote no output." : $" Last lines of output:\n{tail}");
        return new CommandStatus
        {
            Phase = CommandPhase.Failed,
            State = State,
            ExitCode = status.ExitCode,
            FailureMessage = message.ToString(),
            OutputText = output,
        };
    }

    /// <summary>
    /// Waits until <paramref name="task"/> ends or <paramref name="limit"/> passes, whichever is
    /// first, without observing how it ended (the caller looks at it after).
    /// </summary>
    public static async Task WithinAsync(Task task, TimeSpan limit, CancellationToken cancellationToken)
    {
        if (task.IsCompleted)
        {
            return;
        }

        try
        {
            await task.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The limit passed first.
        }
        catch (Exception) when (task.IsCompleted && !cancellationToken.IsCancellationRequested)
        {
            // It ended with an error: the caller reads the task itself.
        }
    }

    private static string Describe(TimeSpan span) =>
        span.TotalSeconds < 60 ? $"{span.TotalSeconds:0.###}s" : span.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}
