using System.Text;
using BatchOrchestrator.Engine.Projects;

namespace BatchOrchestrator.Server.Tests.Projects;

/// <summary>
/// What every project repository does with pushed projects, whether it keeps them in the state
/// folder (<c>bo server</c>) or in Blob storage (several instances): the same tests run on both.
/// </summary>
public abstract class ProjectRepositoryContractTests
{
    protected const string Workflow = "+run:\n  sh>: sh scripts/hello.sh\n";

    public TestContext TestContext { get; set; } = null!;

    protected CancellationToken Ct => TestContext.CancellationToken;

    /// <summary>A repository and the revision store its host's orchestrator reads, on this test's place (the same one every call within a test).</summary>
    protected abstract Task<(IProjectRepository Repository, IProjectRevisionStore Revisions)> OpenAsync();

    protected static Dictionary<string, byte[]> Files(params (string Path, string Text)[] files) =>
        files.ToDictionary(f => f.Path, f => Encoding.UTF8.GetBytes(f.Text), StringComparer.Ordinal);

    [TestMethod]
    public async Task A_deleted_project_is_gone_until_pushed_again_and_its_revisions_stay()
    {
        var (repository, revisions) = await OpenAsync();
        var first = await repository.PushAsync("etl", Files(("etl.dig", Workflow), ("scripts/hello.sh", "echo one\n")), Ct);
        await repository.PushAsync("etl", Files(("etl.dig", Workflow), ("scripts/hello.sh", "echo two\n")), Ct);

        Assert.IsTrue(await repository.DeleteAsync("etl", Ct));
        Assert.IsNull(await repository.GetCurrentRevisionAsync("etl", Ct));
        Assert.IsEmpty(await repository.GetCurrentRevisionsAsync(Ct));
        Assert.IsEmpty(await repository.GetRevisionsAsync("etl", Ct));
        Assert.AreEqual(first.Id, revisions.Load(first.Id)?.Id, "past sessions still load their revision");
        Assert.IsFalse(await repository.DeleteAsync("etl", Ct), "already deleted");
        Assert.IsFalse(await repository.DeleteAsync("never", Ct));

        var again = await repository.PushAsync("etl", Files(("etl.dig", Workflow)), Ct);
        Assert.AreEqual(again.Id, (await repository.GetCurrentRevisionAsync("etl", Ct))?.Id);
        Assert.AreEqual(again.Id, (await repository.GetRevisionsAsync("etl", Ct)).Single().Revision, "a new history");
    }

    [TestMethod]
    public async Task A_push_becomes_the_current_revision_with_its_files_where_its_scripts_run()
    {
        var (repository, revisions) = await OpenAsync();

        var pushed = await repository.PushAsync("etl", Files(("etl.dig", Workflow), ("scripts/hello.sh", "echo hello\n")), Ct);

        var current = await repository.GetCurrentRevisionAsync("etl", Ct);
        Assert.AreEqual(pushed.Id, current?.Id);
        Assert.AreEqual("etl", current!.Project);
        CollectionAssert.AreEquivalent(new[] { "etl.dig", "scripts/hello.sh" }, current.Files.Keys.ToArray());
        Assert.AreEqual("echo hello\n", await File.ReadAllTextAsync(Path.Combine(current.SourceDirectory, "scripts", "hello.sh"), Ct), "scripts run in the revision's folder");
        Assert.AreEqual(pushed.Id, revisions.Load(pushed.Id)?.Id, "the orchestrator loads the revision by id");
        CollectionAssert.AreEqual(new[] { "etl" }, (await repository.GetCurrentRevisionsAsync(Ct)).Select(r => r.Project).ToArray());
    }

    [TestMethod]
    public async Task Pushing_the_same_files_again_makes_the_same_revision_current_again_and_history_is_newest_first()
    {
        var (repository, _) = await OpenAsync();
        var one = Files(("etl.dig", "+a:\n  echo>: one\n"));

        var first = await repository.PushAsync("etl", one, Ct);
        var second = await repository.PushAsync("etl", Files(("etl.dig", "+a:\n  echo>: two\n")), Ct);
        var again = await repository.PushAsync("etl", one, Ct);

        Assert.AreEqual(first.Id, again.Id, "same files, same revision");
        Assert.AreNotEqual(first.Id, second.Id);
        Assert.AreEqual(first.Id, (await repository.GetCurrentRevisionAsync("etl", Ct))?.Id);
        var history = await repository.GetRevisionsAsync("etl", Ct);
        CollectionAssert.AreEqual(new[] { first.Id, second.Id, first.Id }, history.Select(e => e.Revision).ToArray());
        Assert.IsTrue(history.All(e => e.Source == "push"));
        Assert.IsTrue(history.Zip(history.Skip(1)).All(p => p.First.CreatedAt >= p.Second.CreatedAt), "newest first");
    }

    [TestMethod]
    public async Task Unknown_and_malformed_project_names_have_no_revisions_and_cannot_be_pushed()
    {
        var (repository, revisions) = await OpenAsync();
        await repository.PushAsync("etl", Files(("etl.dig", "+a:\n  echo>: a\n")), Ct);

        foreach (var name in new[] { "nope", "../etl", "et/l", ".etl", "" })
        {
            Assert.IsNull(await repository.GetCurrentRevisionAsync(name, Ct), name);
            Assert.IsEmpty(await repository.GetRevisionsAsync(name, Ct), name);
        }

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => repository.PushAsync("../etl", Files(("etl.dig", "+a:\n  echo>: a\n")), Ct));
        Assert.IsNull(revisions.Load("0123456789abcdef0123456789abcdef"), "an id nobody stored");
        CollectionAssert.AreEqual(new[] { "etl" }, (await repository.GetCurrentRevisionsAsync(Ct)).Select(r => r.Project).ToArray());
    }

    [TestMethod]
    public async Task Projects_are_kept_apart_and_a_later_repository_on_the_same_place_sees_them()
    {
        var (repository, _) = await OpenAsync();
        var etl = await repository.PushAsync("etl", Files(("etl.dig", "+a:\n  echo>: a\n")), Ct);
        var ads = await repository.PushAsync("ads", Files(("etl.dig", "+a:\n  echo>: a\n")), Ct);
        Assert.AreNotEqual(etl.Id, ads.Id, "the same files in another project are another revision");

        var (later, laterRevisions) = await OpenAsync();
        CollectionAssert.AreEqual(new[] { ("ads", ads.Id), ("etl", etl.Id) }, (await later.GetCurrentRevisionsAsync(Ct)).Select(r => (r.Project, r.Id)).ToArray());
        Assert.AreEqual("etl", laterRevisions.Load(etl.Id)?.Project);
    }
}
