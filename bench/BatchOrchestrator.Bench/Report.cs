using System.Globalization;
using System.Text.RegularExpressions;

namespace BatchOrchestrator.Bench;

/// <summary>The table, and the two verdicts the language is held to.</summary>
internal static partial class Report
{
    private const double OneSecondMs = 1_000;
    private const double LinearTolerance = 2.0;

    public static void Print(IReadOnlyList<Measurement.Result> results, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var first = results.FirstOrDefault(r => r.Error is null);
        output.WriteLine("WorkflowLoader.LoadAsync (read + parse + validate + compile), median of the timed runs after warm-up; one fresh process per size.");
        output.WriteLine("baseline = YamlDotNet's bare event parse of the same file (new Parser(...) looping MoveNext), timed in the same runs.");
        output.WriteLine();
        output.WriteLine(string.Format(c, "{0,9} {1,9} {2,8} {3,10} {4,8} {5,10} {6,9} {7,10} {8,9} {9,9}", "tasks", "planned", "file MB", "median ms", "µs/task", "alloc MB", "peak MB", "t(N)/t(1k)", "N/1k", "ours/base"));
        foreach (var r in results)
        {
            var tasks = TaskCount(r.Path);
            if (r.Error is not null)
            {
                output.WriteLine(string.Format(c, "{0,9} {1}", tasks, "FAILED: " + r.Error));
                continue;
            }

            var baseTasks = first is null ? 1 : TaskCount(first.Path);
            output.WriteLine(string.Format(
                c,
                "{0,9:N0} {1,9:N0} {2,8:0.0} {3,10:0.0} {4,8:0.00} {5,10:0.0} {6,9:0.0} {7,10:0.0} {8,9:0.0} {9,9:0.0}x   (baseline {10:0.0} ms)",
                tasks,
                r.PlanTasks,
                r.FileBytes / 1048576.0,
                r.MedianMs,
                r.MedianMs * 1000 / tasks,
                r.AllocatedBytes / 1048576.0,
                r.PeakWorkingSet / 1048576.0,
                first is null ? 0 : r.MedianMs / first.MedianMs,
                tasks / (double)baseTasks,
                r.MedianMs / r.BaselineMs,
                r.BaselineMs));
        }

        output.WriteLine();
        var ten = results.FirstOrDefault(r => TaskCount(r.Path) == 10_000 && r.Error is null);
        var hundred = results.FirstOrDefault(r => TaskCount(r.Path) == 100_000 && r.Error is null);
        if (ten is not null)
        {
            output.WriteLine(string.Format(c, "{0}: 10,000 tasks under 1 s ({1:0} ms)", ten.MedianMs < OneSecondMs ? "PASS" : "FAIL", ten.MedianMs));
        }

        if (ten is not null && hundred is not null)
        {
            var perTaskTen = ten.MedianMs / 10_000;
            var perTaskHundred = hundred.MedianMs / 100_000;
            var growth = perTaskHundred / perTaskTen;
            output.WriteLine(string.Format(
                c,
                "{0}: growth is linear (time per task at 100,000 is {1:0.00}x that at 10,000; limit {2:0.0}x)",
                growth <= LinearTolerance ? "PASS" : "FAIL",
                growth,
                LinearTolerance));
        }
    }

    private static int TaskCount(string path) => int.Parse(SizeInName().Match(Path.GetFileName(path)).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"wf(\d+)\.dig$")]
    private static partial Regex SizeInName();
}
