using System.Diagnostics;
using System.Globalization;
using System.Text;
using BatchOrchestrator.Storage.Blob;
using BatchOrchestrator.Storage.Blob.Projects;
using BatchOrchestrator.Storage.Tests.Support;

// Pushed projects in Blob storage (Azurite): what a push costs, and what an instance that has
// never seen a revision pays to load it (download, hash check, unpack) against the baseline of
// a bare download of the same revision blob, in the same run; then pushes from two instances at
// once (the ETag retries) against the same pushes from one.
// Run: dotnet run -c Release --project bench/BatchOrchestrator.Bench.BlobProjects [files] [KiB each] [pushes]
var fileCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var kib = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
var pushes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40;
using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(20));
var ct = cancellation.Token;
await using var azurite = await AzuriteServer.StartAsync(ct);
var root = Directory.CreateTempSubdirectory("bo-bench-blob-projects-");
var instances = 0;
BlobProjectStore Instance() => BlobProjectStore.Open(
    BlobAccount.FromConnectionString(azurite.ConnectionString).CreateClient().GetBlobContainerClient("bench"),
    "",
    Path.Combine(root.FullName, $"instance{++instances}"),
    TimeProvider.System);
Dictionary<string, byte[]> Project(int variant) => Enumerable.Range(0, fileCount).ToDictionary(
    i => i == 0 ? "main.dig" : $"scripts/step{i}.sh",
    i => Encoding.UTF8.GetBytes(i == 0 ? $"+a:\n  echo>: variant {variant}\n" : $"# variant {variant}\n" + new string('x', kib * 1024)));

try
{
    Console.WriteLine($"a project of {fileCount} files x {kib} KiB; {pushes} pushes per row");
    var pusher = Instance();
    await pusher.Repository.PushAsync("warm", Project(-1), ct);

    var sequential = await TimeAsync(async () =>
    {
        for (var i = 0; i < pushes; i++)
        {
            await pusher.Repository.PushAsync("seq", Project(i), ct);
        }
    });
    Console.WriteLine(Row("push, one instance, one after another", sequential, pushes));

    var one = Instance();
    var two = Instance();
    var concurrent = await TimeAsync(() => Task.WhenAll(Enumerable.Range(0, pushes).Select(i =>
        (i % 2 == 0 ? one : two).Repository.PushAsync("both", Project(1000 + i), ct))));
    var landed = (await one.Repository.GetRevisionsAsync("both", ct)).Count;
    Console.WriteLine(Row("push, two instances at once", concurrent, pushes) + $"   {landed}/{pushes} in history");

    // Cold loads: a fresh instance per revision, as a new instance of the app meets it; the baseline downloads the same blob bare.
    var ids = (await pusher.Repository.GetRevisionsAsync("seq", ct)).Select(e => e.Revision).ToList();
    var container = BlobAccount.FromConnectionString(azurite.ConnectionString).CreateClient().GetBlobContainerClient("bench");
    var bare = await TimeAsync(async () =>
    {
        foreach (var id in ids)
        {
            await container.GetBlobClient($"revisions/{id}.json").DownloadContentAsync(ct);
        }
    });
    var fresh = ids.Select(_ => Instance()).ToList();
    var cold = await TimeAsync(() =>
    {
        foreach (var (id, instance) in ids.Zip(fresh))
        {
            _ = instance.Revisions.Load(id) ?? throw new InvalidOperationException($"revision {id} did not load");
        }

        return Task.CompletedTask;
    });
    var warmInstance = Instance();
    foreach (var id in ids)
    {
        warmInstance.Revisions.Load(id);
    }

    var warm = await TimeAsync(() =>
    {
        foreach (var id in ids)
        {
            warmInstance.Revisions.Load(id);
        }

        return Task.CompletedTask;
    });
    Console.WriteLine(Row("baseline: bare download of the revision blob", bare, ids.Count));
    Console.WriteLine(Row("load on an instance that never saw it", cold, ids.Count) + $"   cold/bare {cold / bare:F2}x");
    Console.WriteLine(Row("load again on the same instance", warm, ids.Count));
    Console.WriteLine($"two instances/one: {concurrent / sequential:F2}x the time for the same number of pushes");
}
finally
{
    root.Delete(recursive: true);
}

static string Row(string what, double ms, int count) =>
    string.Create(CultureInfo.InvariantCulture, $"{what,-46} {ms,9:F1} ms  {ms / count,8:F2} ms each");

static async Task<double> TimeAsync(Func<Task> action)
{
    var watch = Stopwatch.StartNew();
    await action();
    return watch.Elapsed.TotalMilliseconds;
}
