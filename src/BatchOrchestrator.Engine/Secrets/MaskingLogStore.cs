using System.Collections.Concurrent;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Secrets;

/// <summary>
/// A log store that masks the secret values of each task try before they reach the store below.
/// Give it to executors in place of the real store: they stream output into it as it comes.
/// <para>Guarantees, for a log registered with <see cref="Register"/>:</para>
/// <list type="bullet">
/// <item>No registered value is ever passed to the store below, even when it arrives split over
/// several appends: the end of each append that could be the start of a value (fewer characters
/// than the longest value) is held back and written with the next append, or by <see cref="CompleteAsync"/>.</item>
/// <item>Appends to one log are masked and written one at a time, in call order; an append the
/// store below fails leaves nothing consumed, so the caller may send the same text again.</item>
/// </list>
/// Logs nobody registered pass through unchanged. Reading returns what was written (masked).
/// </summary>
public sealed class MaskingLogStore(ILogStore inner) : ILogStore
{
    private readonly ConcurrentDictionary<TaskLogKey, MaskedLog> _logs = new();

    /// <summary>
    /// Masks <paramref name="masker"/>'s values in the log from now on. Registering again (a
    /// re-delivered launch) replaces the values and keeps what is held back.
    /// </summary>
    public void Register(TaskLogKey key, SecretMasker masker)
    {
        ArgumentNullException.ThrowIfNull(masker);
        if (masker.IsEmpty)
        {
            return;
        }

        _logs.AddOrUpdate(key, _ => new MaskedLog(masker), (_, log) => log.WithMasker(masker));
    }

    /// <summary>The masker registered for the log, or null when it has none.</summary>
    public SecretMasker? MaskerOf(TaskLogKey key) => _logs.TryGetValue(key, out var log) ? log.Masker : null;

    /// <summary>Writes what was held back (masked) and forgets the log's values: the try's output is complete.</summary>
    public async Task CompleteAsync(TaskLogKey key, CancellationToken cancellationToken)
    {
        if (!_logs.TryGetValue(key, out var log))
        {
            return;
        }

        await log.Gate.WaitAsync(cancellationToken);
        try
        {
            var text = log.Masker.MaskStream(log.HeldBack, final: true, out _);
            if (text.Length > 0)
            {
                await inner.AppendAsync(key, text, cancellationToken);
            }

            log.HeldBack = string.Empty;
            _logs.TryRemove(KeyValuePair.Create(key, log));
        }
        finally
        {
            log.Gate.Release();
        }
    }

    public async Task AppendAsync(TaskLogKey key, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!_logs.TryGetValue(key, out var log))
        {
            await inner.AppendAsync(key, text, cancellationToken);
            return;
        }

        await log.Gate.WaitAsync(cancellationToken);
        try
        {
            var masked = log.Masker.MaskStream(log.HeldBack + text, final: false, out var rest);
            if (masked.Length > 0)
            {
                await inner.AppendAsync(key, masked, cancellationToken);
            }

            // Only after the write succeeded: a failed append is retried with the same text.
            log.HeldBack = rest;
        }
        finally
        {
            log.Gate.Release();
        }
    }

    public Task<LogChunk> ReadAsync(TaskLogKey key, long offset, CancellationToken cancellationToken) =>
        inner.ReadAsync(key, offset, cancellationToken);

    public string Locate(TaskLogKey key) => inner.Locate(key);

    /// <summary>One registered log: its values and the end of its output not yet written.</summary>
    private sealed class MaskedLog(SecretMasker masker)
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public SecretMasker Masker { get; private set; } = masker;

        public string HeldBack { get; set; } = string.Empty;

        public MaskedLog WithMasker(SecretMasker masker)
        {
            Masker = masker;
            return this;
        }
    }
}
