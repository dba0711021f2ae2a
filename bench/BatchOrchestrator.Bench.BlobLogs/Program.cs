using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Storage.Blobs.Specialized;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Tests.Support;

// Task log appends to one append blob in Azurite: BlobLogStore (appends that arrive while a
// block is written share the next block) against the baseline of one AppendBlock per append,
// the same lines from the same number of concurrent writers, in the same run.
// Run: dotnet run -c Release --project bench/BatchOrchestrator.Bench.BlobLogs [writers] [lines each]
var writers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
var linesEach = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 250;
using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(20));
var ct = cancellation.Token;
await using var azurite = await AzuriteServer.StartAsync(ct);
var service = BlobAccount.FromConnectionString(azurite.ConnectionString).CreateClient();
var container = service.GetBlobContainerClient("bench");
await container.CreateIfNotExistsAsync(cancellationToken: ct);
var key = new TaskLogKey("bench", "bench", "2026-11-21T00:00:00Z", "a", "+bench+task", 0);
static string Line(int writer, int i) => $"writer {writer} line {i:D5} {new string('x', 80)}\n";

Console.WriteLine($"{writers} writers x {linesEach} lines, one log (median of 3 runs each, interleaved)");
var ours = new List<double>();
var baseline = new List<double>();
long oursBlocks = 0, baselineBlocks = 0;
for (var run = 0; run < 3; run++)
{
    // Baseline: one block per append, as a store without batching would write them.
    var raw = container.GetAppendBlobClient($"baseline/{run}.log");
    await raw.CreateAsync(cancellationToken: ct);
    baseline.Add(await TimeAsync(() => Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        for (var i = 0; i < linesEach; i++)
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Line(w, i)));
            await raw.AppendBlockAsync(stream, cancellationToken: ct);
        }
    }, ct)))));
    baselineBlocks = (await raw.GetPropertiesAsync(cancellationToken: ct)).Value.BlobCommittedBlockCount;

    var store = new BlobLogStore(container, $"ours/{run}");
    ours.Add(await TimeAsync(() => Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        for (var i = 0; i < linesEach; i++)
        {
            await store.AppendAsync(key, Line(w, i), ct);
        }
    }, ct)))));
    oursBlocks = (await container.GetAppendBlobClient($"ours/{run}/{key.RelativePath}").GetPropertiesAsync(cancellationToken: ct)).Value.BlobCommittedBlockCount;
}

var total = writers * linesEach;
var oursMedian = Median(ours);
var baseMedian = Median(baseline);
Console.WriteLine($"baseline (one block per append): {baseMedian:F0} ms, {total / (baseMedian / 1000):F0} appends/s, {baselineBlocks} blocks");
Console.WriteLine($"BlobLogStore (shared blocks):    {oursMedian:F0} ms, {total / (oursMedian / 1000):F0} appends/s, {oursBlocks} blocks");
Console.WriteLine($"ours/base time: {oursMedian / baseMedian:F2}   blocks ours/base: {(double)oursBlocks / baselineBlocks:F3}");

static async Task<double> TimeAsync(Func<Task> action)
{
    var watch = Stopwatch.StartNew();
    await action();
    return watch.Elapsed.TotalMilliseconds;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
