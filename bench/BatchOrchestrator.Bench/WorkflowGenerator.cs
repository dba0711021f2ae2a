using System.Text;

namespace BatchOrchestrator.Bench;

/// <summary>
/// Writes a workflow of a given number of operator tasks in the shape real ones have: groups of
/// about ten children nested as deep as needed, every third group <c>_parallel</c>, some
/// <c>_retry</c>, an <c>_export</c> with <c>${...}</c> on each group, <c>sh></c> commands that
/// use the exported and built-in params.
/// </summary>
internal static class WorkflowGenerator
{
    private const int Fanout = 10;

    public static string Generate(int tasks)
    {
        var text = new StringBuilder(tasks * 80);
        text.Append("timezone: Asia/Tokyo\n\n_export:\n  out: /data/${session_date_compact}\n\n");
        var levels = 1;
        for (var capacity = Fanout; capacity < tasks; capacity *= Fanout)
        {
            levels++;
        }

        var next = 0;
        WriteGroup(text, tasks, levels, indent: 0, "", ref next);
        return text.ToString();
    }

    /// <summary>Writes <paramref name="count"/> tasks under the current mapping: leaves at the last level, groups above.</summary>
    private static void WriteGroup(StringBuilder text, int count, int levels, int indent, string path, ref int next)
    {
        var pad = new string(' ', indent);
        if (levels == 1)
        {
            for (var i = 0; i < count; i++, next++)
            {
                text.Append(pad).Append("+t").Append(next).Append(":\n");
                if (next % 10 == 3)
                {
                    text.Append(pad).Append("  echo>: finished ${task_name} of ${session_id}\n");
                    continue;
                }

                text.Append(pad).Append("  sh>: ./bin/load --part ").Append(next).Append(" --out ${out}").Append(path).Append("/t").Append(next).Append(".csv\n");
                if (next % 7 == 0)
                {
                    text.Append(pad).Append("  _retry:\n")
                        .Append(pad).Append("    limit: 3\n")
                        .Append(pad).Append("    interval: 10\n")
                        .Append(pad).Append("    interval_type: exponential\n");
                }
            }

            return;
        }

        // Split as evenly as the fan-out allows, so each group holds about ten children.
        var childCapacity = (int)Math.Pow(Fanout, levels - 1);
        var groups = (count + childCapacity - 1) / childCapacity;
        for (var g = 0; g < groups; g++)
        {
            var size = count / groups + (g < count % groups ? 1 : 0);
            var name = $"g{path.Replace('/', '_')}_{g}";
            text.Append(pad).Append('+').Append(name).Append(":\n");
            if (g % 3 == 0)
            {
                text.Append(pad).Append("  _parallel: true\n");
            }

            if (g % 4 == 1)
            {
                text.Append(pad).Append("  _retry: 2\n");
            }

            text.Append(pad).Append("  _export:\n")
                .Append(pad).Append("    part: ${session_date}-").Append(g).Append('\n');
            WriteGroup(text, size, levels - 1, indent + 2, $"{path}/{g}", ref next);
        }
    }
}
