using System.Text;
using BatchOrchestrator.Executors.Kubernetes.Jobs;

namespace BatchOrchestrator.Executors.Kubernetes.Logs;

/// <summary>
/// One read of a pod's log, sorted into what is new for the task log, the output block the
/// wrapper printed (see <see cref="CommandWrapper"/>), and the cursor to resume from. The output
/// block is taken only by a <c>final</c> read (the Job has finished); any other read stops its
/// cursor before the block, so the block is read whole, once, by the read that returns it.
/// </summary>
public sealed record LogBatch(string NewText, string? Output, LogCursor Cursor)
{
    public static LogBatch Read(string raw, LogCursor cursor, string outputToken, bool final)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(cursor);
        var begin = CommandWrapper.BeginMarker(outputToken);
        var end = CommandWrapper.EndMarker(outputToken);
        var text = new StringBuilder();
        StringBuilder? block = null;
        string? output = null;
        var position = cursor;
        var beforeBlock = cursor;
        var textBeforeBlock = 0;
        var skippedAtCursor = 0;

        // Where the text and cursor stood before the last line copied, when that line was empty.
        (int TextLength, LogCursor Cursor)? beforeTrailingEmpty = null;
        var lines = raw.Split('\n');
        var count = raw.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (!LogTimestamp.TrySplit(line, out var nanos, out var message))
            {
                // A line without a timestamp cannot be placed; keep it rather than lose it.
                text.Append(line).Append('\n');
                continue;
            }

            if (nanos < cursor.LastNanos)
            {
                continue;
            }

            if (nanos == cursor.LastNanos && skippedAtCursor < cursor.SeenAtLast)
            {
                // Copied by an earlier read: reads start at a whole second or earlier, so they overlap.
                skippedAtCursor++;
                continue;
            }

            var previous = position;
            position = nanos == position.LastNanos
                ? position with { SeenAtLast = position.SeenAtLast + 1 }
                : position with { LastNanos = nanos, SeenAtLast = 1 };

            if (block is null && message == begin)
            {
                block = new StringBuilder();
                beforeBlock = previous;
                textBeforeBlock = text.Length;
                continue;
            }

            if (block is not null)
            {
                if (message == end && !final)
                {
                    // The output is only taken in the read that ends the Job, so no earlier poll
                    // can consume it: leave the whole block for that read.
                    break;
                }

                if (message == end)
                {
                    output = Decode(block.ToString());
                    block = null;
                }
                else
                {
                    block.Append(message);
                }

                continue;
            }

            beforeTrailingEmpty = message.Length == 0 ? (text.Length, previous) : null;
            text.Append(message).Append('\n');
        }

        if (block is not null)
        {
            // Incomplete: read the block again next time, from its first line.
            text.Length = textBeforeBlock;
            position = beforeBlock;
        }

        if (!final && output is null && beforeTrailingEmpty is { } trailing && trailing.TextLength + 1 == text.Length)
        {
            // The wrapper's fresh line before its output block may be all that was printed yet:
            // hold an empty last line back until the next read shows what follows it, so the
            // read that finds the block can drop it (below) instead of it reaching the log.
            text.Length = trailing.TextLength;
            position = trailing.Cursor;
        }

        // The wrapper starts the block on a fresh line, which may leave one empty line behind.
        var newText = text.ToString();
        if (output is not null && newText.EndsWith("\n\n", StringComparison.Ordinal))
        {
            newText = newText[..^1];
        }
        else if (output is not null && newText == "\n")
        {
            newText = "";
        }

        return new LogBatch(newText, output, position);
    }

    private static string Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return "";
        }
    }
}
