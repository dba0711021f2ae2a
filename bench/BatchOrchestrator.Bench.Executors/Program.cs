using System.Globalization;
using System.Runtime.Versioning;
using BatchOrchestrator.Bench.Executors;

// Commands/s for N short shell commands run 2 at a time, and for the chain and fan-out of
// ../shared/bench/gen_dags.py: the local executor, System.Diagnostics.Process via setsid, and GNU make -j2,
// interleaved in one run (the machines are noisy; compare within a run).
// Usage: dotnet run -c Release --project bench/BatchOrchestrator.Bench.Executors [-- N [runs [runner]]]
[assembly: SupportedOSPlatform("linux")]

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
const int Parallel = 2;

// gen_dags.py's default sizes: a chain of 200, a fan-out of 1,000 between a start and a join.
const int ChainTasks = 200;
const int FanOutTasks = 1000;
var shapes = new[]
{
    Shape.Independent("true", count, Parallel, _ => "true"),
    Shape.Independent("true && touch", count, Parallel, i => $"true && touch out/t{i}"),
    Shape.Chain(ChainTasks),
    Shape.FanOut(FanOutTasks, Parallel),
};

var runners = new (string Name, Func<string, Shape, Task<TimeSpan>> Run)[]
{
    ("local executor", Runners.LocalExecutorAsync),
    ("Process.Start+setsid", Runners.ProcessStartAsync),
    ("make -j2", Runners.MakeAsync),
};
if (args.Length > 2)
{
    // For profiling one path: the third argument picks runners by name ("local", "make", ...).
    runners = [.. runners.Where(r => r.Name.Contains(args[2], StringComparison.Ordinal) || r.Name == "make -j2")];
}

// Warm-up, so both .NET paths are measured with their code fully compiled (tier-1 JIT happens
// in the background after ~30 calls and a 100 ms delay).
using (var warm = new Scratch())
{
    var warmUp = Shape.Independent("warm-up", 300, Parallel, i => $"true && touch out/t{i}");
    for (var round = 0; round < 2; round++)
    {
        await Runners.LocalExecutorAsync(warm.Path, warmUp);
        await Runners.ProcessStartAsync(warm.Path, warmUp);
        await Task.Delay(500);
    }
}

Console.WriteLine($"median of {runs} runs: {count} commands {Parallel} in parallel (true; true && touch); chain: {ChainTasks} commands one after another; fan-out: 1 + {FanOutTasks} {Parallel} at a time + 1");
foreach (var shape in shapes)
{
    var times = runners.ToDictionary(r => r.Name, _ => new List<double>());
    var cpu = runners.ToDictionary(r => r.Name, _ => new List<double>());
    for (var run = 0; run < runs; run++)
    {
        foreach (var (name, runner) in runners)
        {
            using var scratch = new Scratch();
            var cpuBefore = Environment.CpuUsage.TotalTime;
            times[name].Add((await runner(scratch.Path, shape)).TotalSeconds);
            cpu[name].Add((Environment.CpuUsage.TotalTime - cpuBefore).TotalMilliseconds / shape.Count);
        }
    }

    var make = Median(times["make -j2"]);
    foreach (var (name, _) in runners)
    {
        var seconds = Median(times[name]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{shape.Name,-14} {name,-21} {seconds,7:0.000} s {shape.Count / seconds,8:0} commands/s  time ratio to make -j2: {seconds / make:0.00}  this process's CPU: {Median(cpu[name]):0.000} ms/command"));
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

/// <summary>A fresh working folder with an <c>out/</c> folder, removed afterwards.</summary>
internal sealed class Scratch : IDisposable
{
    public Scratch()
    {
        Path = Directory.CreateTempSubdirectory("bo-bench-").FullName;
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "out"));
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
