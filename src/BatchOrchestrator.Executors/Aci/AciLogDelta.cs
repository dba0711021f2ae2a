using System.Text;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// What one read of a container's log adds to the task log: the text not copied before, with
/// the <c>$BO_OUTPUT</c> marker line taken out (and its content returned), and the new position.
/// A marker line that is not complete yet (read mid-write) is left for the next read.
/// </summary>
public sealed record AciLogDelta(string Text, AciLogPosition Position, string? Output)
{
    /// <summary>Written where output was lost because the log window moved past what was copied.</summary>
    public const string GapNotice =
        "[bo: some output of the container is missing here: ACI keeps only the last 16 KB of a stopped container's log, and more than that was written since the last read]\n";

    public static AciLogDelta Read(string content, AciLogPosition position)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(position);
        var start = position.FindResume(content);
        var gap = start < 0;
        if (gap)
        {
            start = 0;
        }

        // Hold back an unfinished marker line: the rest of it comes with the next read.
        var end = content.Length;
        var open = content.LastIndexOf(AciCommandScript.OutputStart, StringComparison.Ordinal);
        if (open >= start && content.IndexOf(AciCommandScript.OutputEnd, open + AciCommandScript.OutputStart.Length, StringComparison.Ordinal) < 0)
        {
            end = open;
        }

        var text = new StringBuilder(content.Length - start + (gap ? GapNotice.Length : 0));
        if (gap && content.Length > 0)
        {
            text.Append(GapNotice);
        }

        string? output = null;
        var at = start;
        while (at < end)
        {
            var marker = content.IndexOf(AciCommandScript.OutputStart, at, end - at, StringComparison.Ordinal);
            if (marker < 0)
            {
                text.Append(content, at, end - at);
                break;
            }

            text.Append(content, at, marker - at);
            var valueStart = marker + AciCommandScript.OutputStart.Length;
            var valueEnd = content.IndexOf(AciCommandScript.OutputEnd, valueStart, StringComparison.Ordinal);
            output = Decode(content[valueStart..valueEnd]) ?? output;

            // The wrapper starts the marker with a newline of its own, so an unfinished last line
            // ends there; after a finished one, the marker leaves no trace.
            if (marker > 0 && content[marker - 1] != '\n')
            {
                text.Append('\n');
            }

            at = valueEnd + AciCommandScript.OutputEnd.Length;
        }

        return new AciLogDelta(text.ToString(), end == start && !gap ? position : AciLogPosition.At(content, end), output);
    }

    private static string? Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
