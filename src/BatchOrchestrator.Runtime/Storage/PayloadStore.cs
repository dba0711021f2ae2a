using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using BatchOrchestrator.Engine.Orchestration;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Storage;

/// <summary>
/// Large activity results, stored once by content hash (the <c>payloads</c> table) and referred to
/// from the events that carry them. Every part of a large group asks for the same workflow: kept
/// inline, its whole source went into each part's queue message and history, so the database and
/// each replay grew with the workflow's size times its number of parts. An event keeps its meaning:
/// reading resolves the reference to the same text, so replays and <c>GetHistoryAsync</c> see what
/// was written. The texts read or written lately stay in memory (the same string each time, which
/// lets <see cref="Execution.SharedResults"/> decode them once).
/// </summary>
internal sealed class PayloadStore
{
    /// <summary>Results from this many characters on are stored by reference; a <c>sh&gt;</c> task's stay inline.</summary>
    public const int Threshold = 16 * 1024;

    // A stored payload is JSON, which never starts with '#': a reference cannot be taken for a value.
    private const string Marker = "#payload:";
    private const int MaxCachedChars = 64 * 1024 * 1024;

    private readonly ConditionalWeakTable<string, string> _hashes = [];
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private long _cachedChars;

    /// <summary>
    /// The event as stored: a large result's text goes to <c>payloads</c> (once per content) and the
    /// event refers to it. Runs inside <paramref name="transaction"/>, so the text is stored with the
    /// event or not at all.
    /// </summary>
    public HistoryEvent Externalize(SqliteConnection connection, SqliteTransaction transaction, HistoryEvent e)
    {
        if (e.EventType != HistoryEventType.TaskCompleted || e.Payload is not { Length: >= Threshold } text)
        {
            return e;
        }

        var hash = _hashes.GetValue(text, Hash);

        // The lookup reads the hash's index only (a payload's body is read only when the payload is);
        // the body is bound only when it is inserted. Within the transaction, so one that rolls back
        // leaves nothing behind, and a purge's delete is seen by the next lookup.
        using var find = connection.Command("SELECT 1 FROM payloads WHERE hash = $hash", transaction).With("$hash", hash);
        if (find.ExecuteScalar() is null)
        {
            connection.Execute(transaction, "INSERT INTO payloads (hash, body) VALUES ($hash, $body)", ("$hash", hash), ("$body", text));
        }

        Remember(hash, text);
        return e with { Payload = Marker + hash };
    }

    /// <summary>The event as written: a reference replaced by its text.</summary>
    public HistoryEvent Resolve(SqliteConnection connection, SqliteTransaction? transaction, HistoryEvent e)
    {
        if (e.EventType != HistoryEventType.TaskCompleted || e.Payload is not { } payload || !payload.StartsWith(Marker, StringComparison.Ordinal))
        {
            return e;
        }

        var hash = payload[Marker.Length..];
        string? text;
        lock (_lock)
        {
            _texts.TryGetValue(hash, out text);
        }

        if (text is null)
        {
            using var read = connection.Command("SELECT body FROM payloads WHERE hash = $hash", transaction).With("$hash", hash);
            text = read.ExecuteScalar() as string
                ?? throw new DurableStoreException($"The database lacks the payload {hash} an event refers to: it was changed outside the runtime.");
            _hashes.AddOrUpdate(text, hash);
            text = Remember(hash, text);
        }

        return e with { Payload = text };
    }

    /// <summary>Deletes the payloads no event refers to any more (after a purge).</summary>
    public void DeleteUnreferenced(SqliteConnection connection, SqliteTransaction transaction)
    {
        connection.Execute(
            transaction,
            $"""
            DELETE FROM payloads WHERE hash NOT IN (
                SELECT substr(json_extract(event, '$.Payload'), {Marker.Length + 1}) FROM history WHERE json_extract(event, '$.Payload') LIKE '{Marker}%'
                UNION SELECT substr(json_extract(event, '$.Payload'), {Marker.Length + 1}) FROM orchestration_queue WHERE json_extract(event, '$.Payload') LIKE '{Marker}%')
            """);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Keeps the text (the newest few, up to a bound) and returns the one kept for this hash.</summary>
    private string Remember(string hash, string text)
    {
        lock (_lock)
        {
            if (_texts.TryGetValue(hash, out var kept))
            {
                return kept;
            }

            _texts[hash] = text;
            _order.Enqueue(hash);
            _cachedChars += text.Length;
            while (_cachedChars > MaxCachedChars && _order.Count > 1)
            {
                var oldest = _order.Dequeue();
                _cachedChars -= _texts[oldest].Length;
                _texts.Remove(oldest);
            }

            return text;
        }
    }
}
