using System.Runtime.CompilerServices;
using System.Text.Json;

namespace BatchOrchestrator.Executors.Kubernetes.Api;

/// <summary>
/// One event of a watch stream: <c>{"type": "ADDED|MODIFIED|DELETED|BOOKMARK|ERROR", "object": {...}}</c>,
/// one JSON object per line of a chunked response. For ERROR the object is a Status (410 Expired).
/// </summary>
public sealed record WatchEvent(string Type, JsonElement Object)
{
    public bool IsError => Type == "ERROR";

    /// <summary>The object's <c>metadata.resourceVersion</c> (to resume from), or null.</summary>
    public string? ResourceVersion =>
        Object.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var version) ? version.GetString() : null;

    /// <summary>The Status code of an ERROR event (410 when the resource version expired).</summary>
    public int? ErrorCode => IsError && Object.TryGetProperty("code", out var code) && code.TryGetInt32(out var value) ? value : null;

    /// <summary>Reads newline-delimited events until the stream ends.</summary>
    public static async IAsyncEnumerable<WatchEvent> ReadAllAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
            var value = root.TryGetProperty("object", out var o) ? o.Clone() : default;
            yield return new WatchEvent(type, value);
        }
    }
}
