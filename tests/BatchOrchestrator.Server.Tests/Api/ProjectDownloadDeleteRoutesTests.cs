using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text;
using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;
using static BatchOrchestrator.Server.Tests.Support.ProjectArchives;

namespace BatchOrchestrator.Server.Tests.Api;

/// <summary><c>GET /api/projects/{project}/archive</c> and <c>DELETE /api/projects/{project}</c>: what <c>bo download</c> and <c>bo delete</c> call.</summary>
[TestClass]
public sealed class ProjectDownloadDeleteRoutesTests
{
    [TestMethod]
    public async Task The_archive_holds_the_pushed_files_byte_for_byte()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>());
        var sent = new (string Path, string Text)[] { ("etl.dig", "+run:\n  sh>: sh scripts/hello.sh\n"), ("scripts/hello.sh", "echo héllo\r\n"), ("data/empty.txt", "") };
        using (var push = await server.Client.PutAsync(new Uri("/api/projects/etl", UriKind.Relative), Gzip(TarGz(sent))))
        {
            Assert.AreEqual(HttpStatusCode.Created, push.StatusCode, await push.Content.ReadAsStringAsync());
        }

        using var download = await server.Client.GetAsync(new Uri("/api/projects/etl/archive", UriKind.Relative));
        Assert.AreEqual(HttpStatusCode.OK, download.StatusCode);
        Assert.AreEqual("application/gzip", download.Content.Headers.ContentType?.MediaType);
        var files = await UnpackAsync(await download.Content.ReadAsByteArrayAsync());
        CollectionAssert.AreEquivalent(sent.Select(f => f.Path).ToArray(), files.Keys.ToArray());
        foreach (var (path, text) in sent)
        {
            CollectionAssert.AreEqual(Encoding.UTF8.GetBytes(text), files[path], path);
        }

        using var unknown = await server.Client.GetAsync(new Uri("/api/projects/nope/archive", UriKind.Relative));
        var problem = await TestServer.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.Contains("no project 'nope'", problem.GetProperty("detail").GetString()!);
    }

    [TestMethod]
    public async Task Delete_is_refused_while_an_attempt_runs_then_removes_the_project_and_its_schedule()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", "+a:\n  echo>: folder project\n");
        var waitFile = Path.Combine(server.Root, "started");
        var releaseFile = Path.Combine(server.Root, "release");
        var workflow = $"schedule:\n  daily>: 07:00:00\n+wait:\n  sh>: touch {waitFile}; while [ ! -f {releaseFile} ]; do sleep 0.05; done\n";
        using (var push = await server.Client.PutAsync(new Uri("/api/projects/etl", UriKind.Relative), Gzip(TarGz(("etl.dig", workflow)))))
        {
            Assert.AreEqual(HttpStatusCode.Created, push.StatusCode, await push.Content.ReadAsStringAsync());
        }

        Assert.Contains("etl", (await server.GetAsync<List<ScheduleView>>("/api/schedules")).Select(s => s.Project).ToList());
        var attempt = await server.StartAttemptAsync("etl", "etl", "2024-06-01");
        await TestServer.WaitForFileAsync(waitFile);

        using (var busy = await server.Client.DeleteAsync(new Uri("/api/projects/etl", UriKind.Relative)))
        {
            var problem = await TestServer.AssertProblemAsync(busy, HttpStatusCode.Conflict);
            Assert.Contains($"project etl has a running attempt (workflow etl, attempt {attempt.Id})", problem.GetProperty("detail").GetString()!);
        }

        await File.WriteAllTextAsync(releaseFile, string.Empty);
        Assert.AreEqual(AttemptStatus.Success, (await server.WaitEndedAsync(attempt.Id)).Status);

        using (var delete = await server.Client.DeleteAsync(new Uri("/api/projects/etl", UriKind.Relative)))
        {
            Assert.AreEqual(HttpStatusCode.NoContent, delete.StatusCode, await delete.Content.ReadAsStringAsync());
        }

        CollectionAssert.AreEqual(new[] { "shop" }, (await server.GetAsync<List<ProjectView>>("/api/projects")).Select(p => p.Name).ToArray());
        Assert.DoesNotContain("etl", (await server.GetAsync<List<ScheduleView>>("/api/schedules")).Select(s => s.Project).ToList(), "its schedule is dropped");
        using (var start = await server.PostJsonAsync("/api/attempts", """{"project":"etl","workflow":"etl","sessionTime":"2024-06-02"}"""))
        {
            Assert.IsTrue((int)start.StatusCode is >= 400 and < 500, $"a deleted project does not start: {start.StatusCode}");
        }

        Assert.AreEqual(attempt.Id, (await server.GetAsync<AttemptView>($"/api/attempts/{Uri.EscapeDataString(attempt.Id)}")).Id, "past attempts stay");
        using (var again = await server.Client.DeleteAsync(new Uri("/api/projects/etl", UriKind.Relative)))
        {
            await TestServer.AssertProblemAsync(again, HttpStatusCode.NotFound);
        }

        using (var folder = await server.Client.DeleteAsync(new Uri("/api/projects/shop", UriKind.Relative)))
        {
            var problem = await TestServer.AssertProblemAsync(folder, HttpStatusCode.MethodNotAllowed);
            Assert.Contains("remove the folder", problem.GetProperty("detail").GetString()!);
        }

        using (var repush = await server.Client.PutAsync(new Uri("/api/projects/etl", UriKind.Relative), Gzip(TarGz(("etl.dig", "+a:\n  echo>: back\n")))))
        {
            Assert.AreEqual(HttpStatusCode.Created, repush.StatusCode, await repush.Content.ReadAsStringAsync());
        }

        Assert.HasCount(1, await server.GetAsync<List<RevisionView>>("/api/projects/etl/revisions"), "pushed again, it starts a history anew");
    }

    [TestMethod]
    public async Task Delete_needs_the_token_and_the_requested_by_header()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", "+a:\n  echo>: a\n", token: "s3cret");
        using var anonymous = await server.Client.DeleteAsync(new Uri("/api/projects/shop", UriKind.Relative));
        Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var bare = new HttpClient { BaseAddress = server.Client.BaseAddress };
        bare.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret");
        using var crossSite = await bare.DeleteAsync(new Uri("/api/projects/shop", UriKind.Relative));
        Assert.IsTrue((int)crossSite.StatusCode is >= 400 and < 500 && crossSite.StatusCode != HttpStatusCode.MethodNotAllowed, $"refused before the route: {crossSite.StatusCode}");
    }

    private static async Task<Dictionary<string, byte[]>> UnpackAsync(byte[] archive)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: true) is { } entry)
        {
            Assert.AreEqual(TarEntryType.RegularFile, entry.EntryType, entry.Name);
            using var content = new MemoryStream();
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(content);
            }

            files[entry.Name] = content.ToArray();
        }

        return files;
    }
}
