using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Server.Local;

[assembly: SupportedOSPlatform("linux")]

// How much hostile templates delay an unrelated workflow on the same engine (issue 18): the local
// engine a `bo server` hosts, one project; an unrelated workflow of echo> tasks is timed alone, then
// right after HOSTILE attempts each start a _parallel group of the hardening probe's templates (each
// fails its task at its budget: ≤ 1 s CPU, or the 1 s regex timeout). The delay is the difference of
// the medians; the verdict is against the issue's bound (< 1 s).
//   BatchOrchestrator.Bench.Hostile [runs] [hostile attempts]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var hostileAttempts = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;

var project = Directory.CreateTempSubdirectory("bo-hostile-").FullName;
try
{
    await File.WriteAllTextAsync(Path.Combine(project, "unrelated.dig"), string.Concat(Enumerable.Range(1, 5).Select(i => $"+e{i}:\n  echo>: unrelated {i}\n")));
    var hostile = new[]
    {
        "/^(a+)+$/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!')",
        "new Array(1e9).join()",
        "JSON.stringify(Array.apply(null, Array(1e7)))",
        "(function(){ var x = 'x'; for (var i = 0; i < 40; i++) { x += x; } return x.length; })()",
        "(function(){ for (;;) {} })()",
    };
    await File.WriteAllTextAsync(
        Path.Combine(project, "hostile.dig"),
        "+burn:\n  _parallel: true\n" + string.Concat(hostile.Select((t, i) => $"  +h{i}:\n    echo>: ${{{t}}}\n")));

    await using var engine = await LocalEngine.StartAsync(new LocalEngineOptions(Path.Combine(project, ".bo")), CancellationToken.None);
    var day = 0;
    async Task<TimeSpan> RunUnrelatedAsync()
    {
        var clock = Stopwatch.StartNew();
        var attempt = await engine.StartAsync(Request("unrelated", ++day), CancellationToken.None);
        var outcome = await engine.WaitAsync(attempt.AttemptId, CancellationToken.None);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException("the unrelated workflow failed");
        }

        return clock.Elapsed;
    }

    AttemptRequest Request(string workflow, int session) => new()
    {
        ProjectDirectory = project,
        WorkflowName = workflow,
        SessionTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(session),
    };

    await RunUnrelatedAsync(); // warm-up: JIT, the workflow's first load
    var alone = new List<double>();
    var beside = new List<double>();
    var hostileWall = new List<double>();
    for (var run = 0; run < runs; run++)
    {
        alone.Add((await RunUnrelatedAsync()).TotalMilliseconds);

        var clock = Stopwatch.StartNew();
        var burning = new List<string>();
        for (var i = 0; i < hostileAttempts; i++)
        {
            burning.Add((await engine.StartAsync(Request("hostile", ++day), CancellationToken.None)).AttemptId);
        }

        beside.Add((await RunUnrelatedAsync()).TotalMilliseconds);
        foreach (var id in burning)
        {
            if ((await engine.WaitAsync(id, CancellationToken.None)).Succeeded)
            {
                throw new InvalidOperationException("a hostile attempt succeeded");
            }
        }

        hostileWall.Add(clock.Elapsed.TotalMilliseconds);
    }

    var delay = Median(beside) - Median(alone);
    Console.WriteLine($"unrelated workflow (5 echo>) alone:            median {Median(alone),8:0} ms  ({string.Join(", ", alone.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))})");
    Console.WriteLine($"beside {hostileAttempts} hostile attempts ({hostile.Length} templates each): median {Median(beside),8:0} ms  ({string.Join(", ", beside.Select(v => v.ToString("0", CultureInfo.InvariantCulture)))})");
    Console.WriteLine($"hostile attempts until all failed:             median {Median(hostileWall),8:0} ms");
    Console.WriteLine($"{(delay < 1000 ? "PASS" : "FAIL")}: the unrelated workflow was delayed {delay:0} ms (bound: < 1,000 ms)");
    return delay < 1000 ? 0 : 1;
}
finally
{
    Directory.Delete(project, recursive: true);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}
