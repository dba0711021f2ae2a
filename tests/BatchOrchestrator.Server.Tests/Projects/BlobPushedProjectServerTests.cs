using System.Net;
using System.Net.Http.Json;
using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;
using BatchOrchestrator.Storage.Blob;
using static BatchOrchestrator.Server.Tests.Support.ProjectArchives;

namespace BatchOrchestrator.Server.Tests.Projects;

/// <summary>
/// Two servers sharing one Blob container for pushed projects (BO_PROJECT_BLOB_*), as two
/// instances of the Functions app do: what is pushed through one is listed and run by the other.
/// </summary>
[TestClass]
public sealed class BlobPushedProjectServerTests
{
    [TestMethod]
    public async Task A_project_pushed_through_one_server_runs_on_another_with_an_empty_cache()
    {
        var variables = new Dictionary<string, string>
        {
            [ProjectStoreConfiguration.ConnectionStringVariable] = await SharedAzurite.ConnectionStringAsync(),
            [ProjectStoreConfiguration.ContainerVariable] = "t" + Guid.NewGuid().ToString("N"),
        };
        Storage.Blob.Projects.BlobProjectStore BlobProjectsOf(string state) => ProjectStoreConfiguration.FromVariables(Path.Combine(state, "project-cache"), TimeProvider.System, variables.GetValueOrDefault)!;
        var folders = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["shop"] = new Dictionary<string, string> { ["daily.dig"] = "+a:\n  echo>: a\n" } };
        await using var first = await TestServer.StartAsync(folders, pushedProjects: BlobProjectsOf);
        await using var second = await TestServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>(), pushedProjects: BlobProjectsOf);

        using var push = await first.Client.PutAsync(
            new Uri("/api/projects/etl", UriKind.Relative),
            Gzip(TarGz(("./etl.dig", "+run:\n  sh>: sh scripts/hello.sh\n"), ("./scripts/hello.sh", "echo pushed script ran\n"))));
        Assert.AreEqual(HttpStatusCode.Created, push.StatusCode, await push.Content.ReadAsStringAsync());
        var pushed = (await push.Content.ReadFromJsonAsync<ProjectView>(TestServer.Json))!;

        CollectionAssert.AreEqual(new[] { "etl" }, (await second.GetAsync<List<ProjectView>>("/api/projects")).Select(p => p.Name).ToArray(), "the other server's folder projects stay its own");
        Assert.AreEqual(pushed.Revision, (await second.GetAsync<List<RevisionView>>("/api/projects/etl/revisions")).Single().Revision);
        var attempt = await second.StartAttemptAsync("etl", "etl", "2024-06-01");
        Assert.AreEqual(AttemptStatus.Success, (await second.WaitEndedAsync(attempt.Id)).Status);
        using var log = await second.Client.GetAsync(new Uri($"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/logs/+etl+run", UriKind.Relative));
        StringAssert.Contains(await log.Content.ReadAsStringAsync(), "pushed script ran");

        // A folder project of the server keeps its name: a push cannot replace it on one server only.
        using var refused = await first.Client.PutAsync(new Uri("/api/projects/shop", UriKind.Relative), Gzip(TarGz(("daily.dig", "+a:\n  echo>: pushed\n"))));
        await TestServer.AssertProblemAsync(refused, HttpStatusCode.MethodNotAllowed);
        CollectionAssert.AreEqual(new[] { "etl", "shop" }, (await first.GetAsync<List<ProjectView>>("/api/projects")).Select(p => p.Name).ToArray());
    }
}
