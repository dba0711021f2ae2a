using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BatchOrchestrator.Api;
using BatchOrchestrator.Server.Tests.Support;
using static BatchOrchestrator.Server.Tests.Support.ProjectArchives;

namespace BatchOrchestrator.Server.Tests.Api;

/// <summary>
/// The upload probe: archives and bodies that are small to send but costly or impossible to
/// unpack are refused with a 4xx JSON answer that says why, quickly, and nothing is written.
/// </summary>
[TestClass]
public sealed class ArchiveLimitTests
{
    private const string Workflow = "+a:\n  echo>: a\n";

    [TestMethod]
    public async Task Metadata_headers_declaring_a_gibibyte_are_refused_413_before_they_are_read()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>());
        foreach (var type in new[] { 'x', 'L' })
        {
            var bomb = MetadataBomb(type, 1024);
            Assert.IsLessThan(2 << 20, bomb.Length, "the probe's archive is small to send");
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            using var response = await server.Client.PutAsync(new Uri("/api/projects/etl", UriKind.Relative), Gzip(bomb));
            var problem = await TestServer.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
            StringAssert.Contains(problem.GetProperty("detail").GetString(), "metadata header");
            Assert.IsLessThan(TimeSpan.FromSeconds(10), clock.Elapsed, $"type {type}: refused at its header, not after reading a GiB");
        }

        AssertNothingWritten(server);
    }

    [TestMethod]
    public async Task Entries_a_file_system_cannot_hold_are_refused_400_with_the_reason()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>());
        var deep = string.Join('/', Enumerable.Repeat("d", 2100)) + "/f.sh";
        var cases = new (string Why, byte[] Archive, string Detail)[]
        {
            ("a file and a folder", TarGz(("etl.dig", Workflow), ("a", "file"), ("a/b", "file below it")), "a file and a folder"),
            ("a folder, then a file", TarGz(("etl.dig", Workflow), ("a/b", "file"), ("a", "file above it")), "a file and a folder"),
            ("a 300-character name", TarGz(("etl.dig", Workflow), (new string('n', 300) + ".sh", "echo")), "name of 303 bytes"),
            ("a 2,100-deep path", TarGz(("etl.dig", Workflow), (deep, "echo")), "-character path"),
            ("a 40-deep path", TarGz(("etl.dig", Workflow), (string.Join('/', Enumerable.Repeat("d", 40)) + "/f.sh", "echo")), "41 folders deep"),
        };
        foreach (var (why, archive, detail) in cases)
        {
            using var response = await server.Client.PutAsync(new Uri("/api/projects/etl", UriKind.Relative), Gzip(archive));
            var problem = await TestServer.AssertProblemAsync(response, HttpStatusCode.BadRequest);
            StringAssert.Contains(problem.GetProperty("detail").GetString(), detail, why);
            Assert.IsLessThan(400, problem.GetProperty("detail").GetString()!.Length, $"{why}: a long name is shortened in the message");
        }

        AssertNothingWritten(server);
    }

    [TestMethod]
    public async Task A_hundred_thousand_empty_files_are_refused_413_and_reads_go_on()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", Workflow);
        var archive = TarGz(TarEntryFormat.Ustar, Enumerable.Range(0, 100_000).Select(i => $"f{i}"), ("etl.dig", Workflow));
        Assert.IsLessThan(2 << 20, archive.Length);
        var clock = Stopwatch.StartNew();
        using var response = await server.Client.PutAsync(new Uri("/api/projects/etl", UriKind.Relative), Gzip(archive));
        var problem = await TestServer.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        StringAssert.Contains(problem.GetProperty("detail").GetString(), "more than 10000 entries");
        Assert.IsLessThan(TimeSpan.FromSeconds(10), clock.Elapsed);
        Assert.AreEqual("shop", (await server.GetAsync<List<ProjectView>>("/api/projects")).Single().Name);
    }

    [TestMethod]
    public async Task A_malformed_chunked_body_is_a_400_json_answer()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>());
        var address = server.Client.BaseAddress!;
        foreach (var chunks in new[] { "zz\r\nabc\r\n0\r\n\r\n", "5\r\nabc\r\n0\r\n\r\n", "3\r\nabcXY" })
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(address.Host, address.Port);
            var stream = socket.GetStream();
            var request = $"PUT /api/projects/etl HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/gzip\r\nTransfer-Encoding: chunked\r\n\r\n{chunks}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var answer = await reader.ReadToEndAsync().WaitAsync(TestServer.Guard);
            StringAssert.StartsWith(answer, "HTTP/1.1 400", chunks);
            StringAssert.Contains(answer, "application/problem+json", answer);
            StringAssert.Contains(answer, "\"detail\":", answer);
        }

        AssertNothingWritten(server);
    }

    private static void AssertNothingWritten(TestServer server) =>
        Assert.IsFalse(Directory.Exists(Path.Combine(server.StateFolder, "projects", "etl")), "no project was written");
}
