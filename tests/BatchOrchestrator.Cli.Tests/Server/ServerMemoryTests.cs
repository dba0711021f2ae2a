using System.Formats.Tar;
using System.Net;
using System.Net.Http.Json;
using BatchOrchestrator.Api;
using BatchOrchestrator.Cli.Tests.Support;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;
using static BatchOrchestrator.Server.Tests.Support.ProjectArchives;

namespace BatchOrchestrator.Cli.Tests.Server;

/// <summary>
/// The memory probe on a real <c>bo server</c> process, measured by its peak resident memory
/// (/proc VmHWM): uploads that cost gigabytes (a 1 MB archive declaring a 1 GiB header took it
/// from 104 MB to 1.2–2.2 GB) and one read of a 200 MB log (164 MB to 1.17 GB).
/// </summary>
[TestClass]
public sealed class ServerMemoryTests
{
    private const long MiB = 1 << 20;

    [TestMethod]
    public async Task The_archive_probe_and_a_200_MB_log_read_keep_the_server_within_its_bounds()
    {
        var project = Path.Combine(Directory.CreateTempSubdirectory("bo-memory-").FullName, "shop");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "talk.dig"), "+talk:\n  sh>: yes 0123456789012345678901234567890123456789012345678901234567890123456789 | head -c 200000000\n");
        using var server = await BoServerProcess.StartAsync(project);
        Assert.AreEqual(HttpStatusCode.OK, (await server.Client.GetAsync(new Uri("/api/projects", UriKind.Relative))).StatusCode);

        // The archive probe, four bombs at once and the rest after.
        var idle = server.Memory().Now;
        server.ResetPeak();
        var bombs = new[] { MetadataBomb('x', 1024), MetadataBomb('L', 1024), MetadataBomb('x', 1024), MetadataBomb('L', 1024) };
        var answers = await Task.WhenAll(bombs.Select(b => server.Client.PutAsync(new Uri("/api/projects/etl", UriKind.Relative), Gzip(b))));
        var others = new[]
        {
            TarGz(TarEntryFormat.Ustar, Enumerable.Range(0, 100_000).Select(i => $"f{i}"), ("etl.dig", "+a:\n  echo>: a\n")),
            TarGz(("etl.dig", "+a:\n  echo>: a\n"), ("a", "x"), ("a/b", "y")),
            TarGz(("etl.dig", "+a:\n  echo>: a\n"), (new string('n', 300), "x")),
            TarGz(("etl.dig", "+a:\n  echo>: a\n"), (string.Join('/', Enumerable.Repeat("d", 2100)) + "/f", "x")),
        };
        foreach (var archive in others)
        {
            answers = [.. answers, await server.Client.PutAsync(new Uri("/api/projects/etl", UriKind.Relative), Gzip(archive))];
        }

        Assert.IsTrue(answers.All(a => (int)a.StatusCode is >= 400 and < 500), string.Join(", ", answers.Select(a => a.StatusCode)));
        var archivePeak = server.Memory().Peak - idle;
        Console.WriteLine($"archive probe: idle {idle / MiB} MiB, peak +{archivePeak / MiB} MiB");
        Assert.IsLessThan(100 * MiB, archivePeak, "the archive probe stays within 100 MB of idle");

        // A 200 MB log, read whole as a client does: part after part.
        using var start = await server.Client.PostAsync(new Uri("/api/attempts", UriKind.Relative), TestServer.JsonBody("""{"project":"shop","workflow":"talk"}"""));
        var attempt = (await start.Content.ReadFromJsonAsync<AttemptView>(TestServer.Json))!;
        using var guard = new CancellationTokenSource(TestServer.Guard);
        while ((await server.Client.GetFromJsonAsync<AttemptView>(new Uri("/api/attempts/" + Uri.EscapeDataString(attempt.Id), UriKind.Relative), TestServer.Json, guard.Token))!.Status == AttemptStatus.Running)
        {
            await Task.Delay(100, guard.Token);
        }

        var before = server.Memory().Now;
        server.ResetPeak();
        long offset = 0;
        while (true)
        {
            using var part = await server.Client.GetAsync(new Uri($"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/logs/+talk+talk?offset={offset}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, guard.Token);
            var next = long.Parse(part.Headers.GetValues(LogEndpointsHeader).Single(), System.Globalization.CultureInfo.InvariantCulture);
            await part.Content.CopyToAsync(Stream.Null, guard.Token);
            if (next == offset)
            {
                break;
            }

            offset = next;
        }

        var logPeak = server.Memory().Peak - before;
        Console.WriteLine($"200 MB log read: before {before / MiB} MiB, peak +{logPeak / MiB} MiB, {offset / MiB} MiB read");
        Assert.AreEqual(200_000_000L, offset);
        Assert.IsLessThan(50 * MiB, logPeak, "reading a 200 MB log adds less than 50 MB");
    }

    private const string LogEndpointsHeader = "X-Next-Offset";
}
