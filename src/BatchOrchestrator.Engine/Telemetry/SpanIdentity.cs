using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace BatchOrchestrator.Engine.Telemetry;

/// <summary>
/// Span ids that are the same on every replay, and the one way to give a span such an id.
/// </summary>
/// <remarks>
/// An orchestration's spans are emitted when their work ends, in whichever process runs that
/// turn, often after their children (a group's try ends after its children's), so a parent's id
/// must be known before the parent is emitted: it is derived from what names the span (the
/// attempt's trace, the task, the try). <see cref="Activity"/> has no public way to take a given
/// id, so its fields are set (as Durable Task's own tracing does); should they ever be renamed,
/// spans keep their random ids, the tree degrades to a flat list, and <c>SpanIdentityTests</c> fail.
/// </remarks>
internal static class SpanIdentity
{
    private static readonly FieldInfo? TraceIdField = typeof(Activity).GetField("_traceId", BindingFlags.NonPublic | BindingFlags.Instance);
    private static readonly FieldInfo? SpanIdField = typeof(Activity).GetField("_spanId", BindingFlags.NonPublic | BindingFlags.Instance);
    private static readonly FieldInfo? IdField = typeof(Activity).GetField("_id", BindingFlags.NonPublic | BindingFlags.Instance);

    /// <summary>A span id derived from its parent's and what names it (a task and its try, a chunk's instance id).</summary>
    public static ActivitySpanId Derive(ActivityTraceId trace, string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(trace.ToHexString() + "/" + name), hash);
        return ActivitySpanId.CreateFromBytes(hash[..8]);
    }

    /// <summary>A trace id derived from an attempt's id, for an attempt started without one.</summary>
    public static ActivityTraceId TraceOf(string attemptId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(attemptId), hash);
        return ActivityTraceId.CreateFromBytes(hash[..16]);
    }

    /// <summary>Gives a started, not yet stopped activity the ids of the span it stands for.</summary>
    public static bool TryAssign(Activity activity, ActivityTraceId trace, ActivitySpanId span)
    {
        if (TraceIdField is null || SpanIdField is null || IdField is null || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return false;
        }

        TraceIdField.SetValue(activity, trace.ToHexString());
        SpanIdField.SetValue(activity, span.ToHexString());
        IdField.SetValue(activity, $"00-{trace.ToHexString()}-{span.ToHexString()}-{(activity.Recorded ? "01" : "00")}");
        return true;
    }
}
