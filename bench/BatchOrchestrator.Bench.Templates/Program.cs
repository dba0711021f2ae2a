using System.Diagnostics;
using System.Globalization;
using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Templating;

// Render cost of a template-heavy task: the params of one task (exports and local keys with ${...}),
// rendered as the engine renders them for every task it runs (TaskParamResolver + RenderParams, a
// fresh interpreter per render). Uses only API both template engines have, so the same file measures
// the current engine and an older one (bench/templates.sh builds it against both).
// With --hostile, also times how long each template of the hardening probe takes to fail (only for an
// engine that bounds them: an unbounded one runs them for minutes).
//   BatchOrchestrator.Bench.Templates [renders] [--hostile]
var renders = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
var engine = new TemplateEngine();
var builtIns = ParamSet.Parse("""
    {"timezone":"Asia/Tokyo","session_time":"2026-11-21T00:00:00+09:00","session_date":"2026-11-21",
     "session_date_compact":"20261121","session_unixtime":1795186800,"task_name":"+wf+load+t","attempt_id":7}
    """);
var cases = new (string Name, TaskParamLayers Layers)[]
{
    ("reads only (no JavaScript)", Layers("""{"label":"${task_name} on ${session_date}"}""", """{"sh>":"load ${label} ${session_date_compact} ${td.database}"}""")),
    ("expressions", Layers(
        """{"day":"${session_date.replace(/-/g, '')}","prefix":"${env == 'prod' ? 'p' : 'd'}"}""",
        """{"sh>":"load ${prefix}_${day} ${td.database + '.' + td.table} ${session_unixtime * 1000}","limit":"${Math.max(limit, 10)}"}""")),
    ("function literals", Layers(
        """{"tables":"${(function(xs){ var out = []; for (var i = 0; i < xs.length; i++) { out.push(xs[i].toUpperCase()); } return out.join(','); })(list)}"}""",
        """{"sh>":"load ${tables} ${JSON.stringify({d: session_date, n: list.length})}"}""")),
    ("moment", Layers(
        """{"tomorrow":"${moment(session_time).add(1, 'days').format('YYYY-MM-DD')}"}""",
        """{"sh>":"load ${tomorrow} ${moment(session_time).format('YYYYMMDD')}"}""")),
};

Console.WriteLine($"{"case",-28} {"median µs",10} {"p90 µs",10} {"alloc KB",10}");
foreach (var (name, layers) in cases)
{
    try
    {
        var effective = TaskParamResolver.Resolve(layers, ParamSet.Empty, builtIns);
        for (var i = 0; i < 50; i++)
        {
            engine.RenderParams(effective);
        }

        var times = new double[renders];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < renders; i++)
        {
            var start = Stopwatch.GetTimestamp();
            engine.RenderParams(effective);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        allocated = (GC.GetAllocatedBytesForCurrentThread() - allocated) / renders;
        Array.Sort(times);
        Console.WriteLine($"{name,-28} {times[renders / 2],10:0.0} {times[renders * 9 / 10],10:0.0} {allocated / 1024.0,10:0.0}");
    }
    catch (TemplateException ex)
    {
        Console.WriteLine($"{name,-28} {"-",10} {"-",10} {"-",10}  ({ex.Message.Split('.')[0]})");
    }
}

if (args.Contains("--hostile"))
{
    Console.WriteLine();
    // Wall-clock and the process's CPU time: on a shared, loaded host the first is mostly waiting for a core.
    Console.WriteLine($"{"hostile template",-58} {"wall ms",8} {"CPU ms",8}  error");
    var hostile = new[]
    {
        "${/^(a+)+$/.test(s)}",
        "${new Array(1e9).join()}",
        "${JSON.stringify(Array.apply(null, Array(1e7)))}",
        "${(function(){ var x = 'x'; for (var i = 0; i < 40; i++) { x += x; } return x.length; })()}",
        "${(function(){ var a = []; for (;;) { a.push(new Array(1e5).join('y')); } })()}",
        "${(function(){ for (;;) {} })()}",
    };
    var input = ParamSet.Parse("""{"s":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}""");
    var worst = 0.0;
    foreach (var template in hostile)
    {
        var start = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        string outcome;
        try
        {
            outcome = "rendered: " + engine.Render(template, input);
        }
        catch (TemplateException ex)
        {
            outcome = ex.Message[("Template ".Length + template.Length + 1)..].Split("; a template")[0];
        }

        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        worst = Math.Max(worst, cpuMs);
        Console.WriteLine($"{template[..Math.Min(58, template.Length)],-58} {ms,8:0} {cpuMs,8:0}  {outcome}");
    }

    Console.WriteLine(worst < 1000 ? $"PASS: every hostile template failed within 1 s of CPU time (slowest {worst:0} ms)" : $"FAIL: the slowest hostile template used {worst:0} ms of CPU time");
}

return 0;

static TaskParamLayers Layers(string export, string local) => new(
    new LocalParams(ParamSet.Parse(local)),
    [new ExportedParams(1, ParamSet.Parse(export).MergedWith(ParamSet.Parse("""{"env":"prod","limit":3,"list":["a","b","c"],"td":{"database":"db","table":"t"}}""")))],
    []);
