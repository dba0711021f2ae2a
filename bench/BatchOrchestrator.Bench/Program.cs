using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using BatchOrchestrator.Bench;

// Parse + validate + compile speed of the workflow language (WorkflowLoader.LoadAsync), per size.
//   parent:  BatchOrchestrator.Bench [sizes...]    writes the workflows, runs one child per size, prints the table
//   child:   BatchOrchestrator.Bench --child FILE RUNS   measures one file in a fresh process, prints one result line
if (args.Length > 0 && args[0] == "--child")
{
    var result = await Measurement.RunAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
    Console.WriteLine(result.ToLine());
    return 0;
}

var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1_000, 10_000, 100_000];
var folder = Directory.CreateTempSubdirectory("bo-bench-").FullName;
try
{
    var results = new List<Measurement.Result>();
    foreach (var size in sizes)
    {
        var path = Path.Combine(folder, $"wf{size}.dig");
        await File.WriteAllTextAsync(path, WorkflowGenerator.Generate(size), new UTF8Encoding(false));
        var runs = size switch { <= 1_000 => 41, <= 10_000 => 15, _ => 7 };
        results.Add(await RunChildAsync(path, runs));
    }

    Report.Print(results, Console.Out);
    return results.Any(r => r.Error is not null) ? 1 : 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

// A fresh process per size, so one size's heap and JIT state do not colour the next one's peak memory.
static async Task<Measurement.Result> RunChildAsync(string path, int runs)
{
    var self = Environment.ProcessPath!;
    var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet")
    {
        start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
    }

    foreach (var arg in new[] { "--child", path, runs.ToString(CultureInfo.InvariantCulture) })
    {
        start.ArgumentList.Add(arg);
    }

    using var child = Process.Start(start)!;
    var output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
    return child.ExitCode == 0 && line is not null
        ? Measurement.Result.Parse(line)
        : throw new InvalidOperationException($"the measurement of {path} failed (exit {child.ExitCode}): {output}");
}
