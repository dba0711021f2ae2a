using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Compat;

/// <summary>
/// Runs every Digdag corpus file (<c>../shared/compat/digdag</c>) whose operators we support on
/// the local engine, exactly as <c>bo run</c> would, and checks the outcome Digdag's acceptance
/// test expects (<see cref="DigdagRunTable.Runs"/>); every other file has a stated reason in
/// <see cref="DigdagRunTable.NotRunnable"/>.
/// </summary>
[TestClass]
public sealed class DigdagRunTests(TestContext testContext)
{
    public static IEnumerable<object[]> RunFiles => DigdagRunTable.Runs.Select(r => new object[] { r.File });

    [TestMethod]
    [DynamicData(nameof(RunFiles))]
    public async Task Each_runnable_file_has_its_digdag_outcome(string file)
    {
        var expected = DigdagRunTable.Runs.Single(r => r.File == file);
        await using var project = await WorkflowProject.StartAsync();
        CorpusFiles.CopyFolderOf(file, project.Directory_);
        var compat = new CompatProject(project, file);

        var run = await expected.Run(compat);

        testContext.WriteLine(run.Describe());
        Assert.AreEqual(expected.Succeeds, run.Succeeded, $"{file} should {(expected.Succeeds ? "succeed" : "fail")} ({expected.Asserts}):{Environment.NewLine}{run.Describe()}");
        expected.CheckResult(run);
        expected.Check(compat);
    }

    [TestMethod]
    public void Every_corpus_file_runs_or_has_a_reason_not_to()
    {
        var onDisk = CorpusFiles.All();
        var pinned = DigdagRunTable.Runs.Select(r => r.File).Concat(DigdagRunTable.NotRunnable.Select(n => n.File)).ToList();

        CollectionAssert.AreEqual(Array.Empty<string>(), onDisk.Except(pinned).ToList(), "corpus files neither run nor listed as not runnable");
        CollectionAssert.AreEqual(Array.Empty<string>(), pinned.Except(onDisk).ToList(), "rows with no file in the corpus");
        Assert.HasCount(pinned.Distinct().Count(), pinned, "a file is listed twice");
        Assert.IsTrue(DigdagRunTable.NotRunnable.All(n => n.Reason.Length > 0));

        testContext.WriteLine($"{onDisk.Count} files: {DigdagRunTable.Runs.Length} run, {DigdagRunTable.NotRunnable.Length} not runnable");
        foreach (var group in DigdagRunTable.NotRunnable.GroupBy(n => n.Reason).OrderByDescending(g => g.Count()))
        {
            testContext.WriteLine($"  {group.Count(),3}  {group.Key}");
        }
    }
}
