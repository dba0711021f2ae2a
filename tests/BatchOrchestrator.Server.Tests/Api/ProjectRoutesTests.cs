using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;
using static BatchOrchestrator.Server.Tests.Support.ProjectArchives;

namespace BatchOrchestrator.Server.Tests.Api;

[TestClass]
public sealed class ProjectRoutesTests
{
    [TestMethod]
    public async Task Project_folders_are_listed_with_their_workflows_schedules_and_task_graph()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["shop"] = new Dictionary<string, string>
            {
                ["daily.dig"] = "timezone: Asia/Tokyo\nschedule:\n  daily>: 07:00:00\n+load:\n  _parallel: true\n  +a:\n    echo>: a\n  +b:\n    echo>: b\n+report:\n  echo>: done\n",
                ["adhoc.dig"] = "+x:\n  echo>: x\n",
            },
            ["empty"] = new Dictionary<string, string> { ["README.md"] = "no workflows here" },
        });

        var projects = await server.GetAsync<List<ProjectView>>("/api/projects");
        Assert.AreEqual("shop", projects.Single().Name, "a folder without .dig files is not a project");
        CollectionAssert.AreEqual(new[] { "adhoc", "daily" }, projects[0].Workflows.ToArray());

        var workflows = await server.GetAsync<List<WorkflowView>>("/api/projects/shop/workflows");
        var daily = workflows.Single(w => w.Name == "daily");
        Assert.AreEqual("Asia/Tokyo", daily.TimeZone);
        Assert.Contains("07:00", daily.Schedule!);
        Assert.IsNull(workflows.Single(w => w.Name == "adhoc").Schedule);

        var graph = await server.GetAsync<WorkflowDetailView>("/api/projects/shop/workflows/daily");
        var load = graph.Tasks.Single(t => t.Name == "+daily+load");
        Assert.IsTrue(load.Parallel);
        Assert.AreEqual("+daily+load", graph.Tasks.Single(t => t.Name == "+daily+load+a").Parent);
        CollectionAssert.AreEqual(new[] { "+daily+load" }, graph.Tasks.Single(t => t.Name == "+daily+report").Upstreams.ToArray());
        Assert.AreEqual("echo", graph.Tasks.Single(t => t.Name == "+daily+report").Operator);

        using var missing = await server.Client.GetAsync(new Uri("/api/projects/shop/workflows/weekly", UriKind.Relative));
        await TestServer.AssertProblemAsync(missing, HttpStatusCode.NotFound);
        using var unknown = await server.Client.GetAsync(new Uri("/api/projects/nope", UriKind.Relative));
        await TestServer.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [TestMethod]
    public async Task A_changed_folder_becomes_a_new_revision_listed_newest_first()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", "+a:\n  echo>: one\n");
        var before = await server.GetAsync<ProjectView>("/api/projects/shop");
        await File.WriteAllTextAsync(Path.Combine(server.ProjectsRoot, "shop", "daily.dig"), "+a:\n  echo>: two\n");
        var after = await server.GetAsync<ProjectView>("/api/projects/shop");
        Assert.AreNotEqual(before.Revision, after.Revision);

        var revisions = await server.GetAsync<List<RevisionView>>("/api/projects/shop/revisions");
        CollectionAssert.AreEqual(new[] { after.Revision, before.Revision }, revisions.Select(r => r.Revision).ToArray(), "newest first");
    }

    [TestMethod]
    public async Task A_pushed_archive_is_a_new_revision_whose_scripts_run()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>());
        var archive = TarGz(("./etl.dig", "+run:\n  sh>: sh scripts/hello.sh\n"), ("./scripts/hello.sh", "echo pushed script ran\n"));
        using var push = await server.Client.PutAsync(new Uri("/api/projects/etl", UriKind.Relative), Gzip(archive));
        Assert.AreEqual(HttpStatusCode.Created, push.StatusCode, await push.Content.ReadAsStringAsync());
        var project = (await push.Content.ReadFromJsonAsync<ProjectView>(TestServer.Json))!;
        CollectionAssert.AreEqual(new[] { "etl" }, project.Workflows.ToArray());
        Assert.AreEqual(project.Revision, (await server.GetAsync<List<RevisionView>>("/api/projects/etl/revisions")).Single().Revision);

        var attempt = await server.StartAttemptAsync("etl", "etl", "2024-06-01");
        Assert.AreEqual(AttemptStatus.Success, (await server.WaitEndedAsync(attempt.Id)).Status);
        using var log = await server.Client.GetAsync(new Uri($"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/logs/+etl+run", UriKind.Relative));
        Assert.Contains("pushed script ran", await log.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task Bad_pushes_are_refused_and_nothing_is_written()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>());
        var cases = new (string Path, HttpContent Body, HttpStatusCode Status)[]
        {
            ("/api/projects/etl", Gzip(TarGz(("../escape.dig", "+a:\n  echo>: a\n"))), HttpStatusCode.BadRequest),
            ("/api/projects/etl", Gzip(TarGz(("/abs/etl.dig", "+a:\n  echo>: a\n"))), HttpStatusCode.BadRequest),
            ("/api/projects/etl", Gzip(TarGz(("sub\\..\\..\\x.dig", "+a:\n  echo>: a\n"))), HttpStatusCode.BadRequest),
            ("/api/projects/etl", Gzip(TarGz(("etl.dig", "+a:\n  sh>: [unclosed\n"))), HttpStatusCode.BadRequest),
            ("/api/projects/etl", Gzip(TarGz(("notes.txt", "no workflow"))), HttpStatusCode.BadRequest),
            ("/api/projects/etl", Gzip(Encoding.UTF8.GetBytes("not an archive")), HttpStatusCode.BadRequest),
            ("/api/projects/etl", Gzip(new byte[(64 << 20) + 1]), HttpStatusCode.RequestEntityTooLarge),
            ("/api/projects/..%2Fetl", Gzip(TarGz(("etl.dig", "+a:\n  echo>: a\n"))), HttpStatusCode.BadRequest),
            ("/api/projects/%2e%2e", Gzip(TarGz(("etl.dig", "+a:\n  echo>: a\n"))), HttpStatusCode.BadRequest),
            ("/api/projects/a%5Cb", Gzip(TarGz(("etl.dig", "+a:\n  echo>: a\n"))), HttpStatusCode.BadRequest),
        };
        foreach (var (path, body, status) in cases)
        {
            using (body)
            {
                using var response = await server.Client.PutAsync(new Uri(path, UriKind.Relative), body);
                var text = await response.Content.ReadAsStringAsync();
                Assert.IsTrue((int)response.StatusCode is >= 400 and < 500, $"{path}: {response.StatusCode} {text}");
                if (path.Contains("%2e%2e", StringComparison.Ordinal))
                {
                    // The server folds a dot-dot segment away before routing: the route is another one, or none.
                    Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType, text);
                    continue;
                }

                await TestServer.AssertProblemAsync(response, status);
            }
        }

        Assert.IsFalse(Directory.Exists(Path.Combine(server.StateFolder, "projects")), "no project folder was written");
        Assert.IsFalse(File.Exists(Path.Combine(server.Root, "escape.dig")));
        Assert.IsEmpty(await server.GetAsync<List<ProjectView>>("/api/projects"));
    }
}
