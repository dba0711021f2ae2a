using System.Diagnostics;
using System.Globalization;
using BatchOrchestrator.Language.Projects;
using BatchOrchestrator.Language.Syntax;
using YamlDotNet.Core;

namespace BatchOrchestrator.Bench;

/// <summary>Measures one workflow file in this process: our load, and YamlDotNet's bare event parse as a baseline.</summary>
internal static class Measurement
{
    /// <summary>
    /// The file-size limit is lifted for the benchmark: a realistic 100,000-task file is larger than
    /// the default 8 MB (see bench/README.md), and the point here is the cost curve, not the limit.
    /// </summary>
    private static readonly YamlLimits Limits = YamlLimits.Default with { MaxFileBytes = 256L * 1024 * 1024, MaxNodes = 50_000_000 };

    public static async Task<Result> RunAsync(string path, int runs)
    {
        var loader = new WorkflowLoader(limits: Limits);
        var check = await loader.LoadAsync(path, CancellationToken.None);
        if (!check.IsValid)
        {
            return new Result(path, 0, new FileInfo(path).Length, 0, 0, 0, 0, string.Join(" | ", check.Errors.Take(3)));
        }

        var planTasks = check.Plan!.Tasks.Count;

        // Warm-up: JIT (tiered up) and file cache for both contenders.
        for (var i = 0; i < 3; i++)
        {
            await loader.LoadAsync(path, CancellationToken.None);
            Baseline(path);
        }

        var ours = new List<double>();
        var baseline = new List<double>();
        long allocated = 0;
        for (var i = 0; i < runs; i++)
        {
            // Interleaved, so machine noise (two cores shared with others) hits both alike.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var stopwatch = Stopwatch.StartNew();
            var result = await loader.LoadAsync(path, CancellationToken.None);
            ours.Add(stopwatch.Elapsed.TotalMilliseconds);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            GC.KeepAlive(result);

            stopwatch.Restart();
            Baseline(path);
            baseline.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return new Result(path, planTasks, new FileInfo(path).Length, Median(ours), Median(baseline), allocated, self.PeakWorkingSet64, null);
    }

    /// <summary>YamlDotNet reading the same file as bare events, the least any YAML-based loader must do.</summary>
    private static int Baseline(string path)
    {
        var parser = new Parser(new StringReader(File.ReadAllText(path)));
        var events = 0;
        while (parser.MoveNext())
        {
            events++;
        }

        return events;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public sealed record Result(string Path, int PlanTasks, long FileBytes, double MedianMs, double BaselineMs, long AllocatedBytes, long PeakWorkingSet, string? Error)
    {
        public string ToLine() => string.Join(
            '\t',
            Path,
            PlanTasks.ToString(CultureInfo.InvariantCulture),
            FileBytes.ToString(CultureInfo.InvariantCulture),
            MedianMs.ToString("R", CultureInfo.InvariantCulture),
            BaselineMs.ToString("R", CultureInfo.InvariantCulture),
            AllocatedBytes.ToString(CultureInfo.InvariantCulture),
            PeakWorkingSet.ToString(CultureInfo.InvariantCulture),
            Error ?? string.Empty);

        public static Result Parse(string line)
        {
            var f = line.TrimEnd('\r').Split('\t');
            var c = CultureInfo.InvariantCulture;
            return new Result(f[0], int.Parse(f[1], c), long.Parse(f[2], c), double.Parse(f[3], c), double.Parse(f[4], c), long.Parse(f[5], c), long.Parse(f[6], c), f[7].Length == 0 ? null : f[7]);
        }
    }
}
