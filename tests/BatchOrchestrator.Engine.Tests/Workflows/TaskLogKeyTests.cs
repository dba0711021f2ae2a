using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Tests.Workflows;

[TestClass]
public sealed class TaskLogKeyTests
{
    [TestMethod]
    public void A_log_path_keeps_safe_names_as_they_are_and_replaces_every_other_character()
    {
        var key = new TaskLogKey("my-proj_1", "daily.report", "2026-12-07T00:00:00Z", "attempt-1", "+daily+load^error", 2);

        Assert.AreEqual("my-proj_1/daily.report/2026-12-07T00_00_00Z/attempt-1/+daily+load^error.try2.log", key.RelativePath);
        Assert.AreEqual(key.RelativePath, TaskLogKey.FromReference(key.RelativePath)!.RelativePath);
    }

    [TestMethod]
    public void A_part_that_could_leave_its_folder_or_is_empty_becomes_an_underscore()
    {
        var key = new TaskLogKey("..", ".", "", "a/b c", "+wf+caf\u00e9/x", 1);

        Assert.AreEqual("_/_/_/a_b_c/+wf+caf__x.try1.log", key.RelativePath);
        Assert.IsNull(TaskLogKey.FromReference("../x/y/z/+t.try1.log"));
    }
}
