using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>A group of the workflow's own plan larger than one orchestration's share runs all its children, in order.</summary>
[TestClass]
public sealed class LargeGroupTests
{
    [TestMethod]
    public async Task A_sequential_group_split_into_parts_runs_every_child_in_order()
    {
        await using var project = await WorkflowProject.StartAsync(new WorkflowEngineOptions { MaxChildrenPerOrchestration = 3 });
        project.Write("chain.dig", string.Concat(Enumerable.Range(1, 8).Select(i => $"+t{i}:\n  sh>: echo {i} >> out.txt\n")) +
            "+g:\n" + string.Concat(Enumerable.Range(1, 7).Select(i => $"  +u{i}:\n    sh>: echo u{i} >> out.txt\n")));

        var run = await project.RunAsync("chain");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var expected = Enumerable.Range(1, 8).Select(i => $"{i}").Concat(Enumerable.Range(1, 7).Select(i => $"u{i}"));
        CollectionAssert.AreEqual(expected.ToList(), project.Read("out.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [TestMethod]
    public async Task A_fan_out_in_more_parts_than_run_at_once_keeps_that_many_alive_and_runs_every_child()
    {
        // 9 children in parts of 3: three parts, at most two alive at a time. Alive together, the
        // parts of a 100,000-task fan-out held every task's state and queued every record at once.
        await using var project = await WorkflowProject.StartAsync(new WorkflowEngineOptions { MaxChildrenPerOrchestration = 3, MaxPartsAtOnce = 2 });
        project.Write("fan.dig", "+all:\n  _parallel: true\n" + string.Concat(Enumerable.Range(1, 9).Select(i => $"  +n{i}:\n    echo>: {i}\n")));

        var run = await project.RunAsync("fan");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(9, run.Tasks.Count(t => t.State == TaskState.Success && t.TaskName.StartsWith("+fan+all+n", StringComparison.Ordinal)));
        var history = await project.Engine!.Client.GetHistoryAsync(run.AttemptId);
        Assert.AreEqual(3, history.Count(e => e.EventType == HistoryEventType.SubOrchestrationInstanceCreated));
        Assert.AreEqual(2, MostAlive(history));
    }

    [TestMethod]
    public async Task A_failed_child_of_a_fan_out_without_limit_cancels_none_of_the_parts_still_waiting()
    {
        // Without a limit every child would have started at once: parts waiting for their turn run as they would have.
        await using var project = await WorkflowProject.StartAsync(new WorkflowEngineOptions { MaxChildrenPerOrchestration = 3, MaxPartsAtOnce = 2 });
        project.Write("fan.dig", "+all:\n  _parallel: true\n  +n1:\n    fail>: broken\n" + string.Concat(Enumerable.Range(2, 11).Select(i => $"  +n{i}:\n    echo>: {i}\n")));

        var run = await project.RunAsync("fan");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual(TaskState.Error, run.Task("+fan+all+n1").State);
        Assert.AreEqual(11, run.Tasks.Count(t => t.State == TaskState.Success && t.TaskName.StartsWith("+fan+all+n", StringComparison.Ordinal)), run.Describe());
        Assert.IsFalse(run.Tasks.Any(t => t.State == TaskState.Canceled), run.Describe());
    }

    [TestMethod]
    public async Task A_limited_fan_out_in_more_parts_than_run_at_once_never_runs_more_children_than_its_limit()
    {
        // Three parts, two at once, a limit of 3: the two lanes' shares (2 and 1) go to whichever part takes the lane over.
        await using var project = await WorkflowProject.StartAsync(new WorkflowEngineOptions { MaxChildrenPerOrchestration = 3, MaxPartsAtOnce = 2 });
        project.Write("fan.dig", "+all:\n  _parallel:\n    limit: 3\n" + string.Concat(Enumerable.Range(1, 9).Select(i => $"  +n{i}:\n    echo>: {i}\n")));

        var run = await project.RunAsync("fan");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var history = await project.Engine!.Client.GetHistoryAsync(run.AttemptId);
        var limits = new Dictionary<int, int>();
        var alive = 0;
        var mostChildren = 0;
        foreach (var e in history)
        {
            if (e.EventType == HistoryEventType.SubOrchestrationInstanceCreated)
            {
                limits[e.EventId] = System.Text.Json.JsonDocument.Parse(e.Payload!).RootElement.GetProperty("limit").GetInt32();
                alive += limits[e.EventId];
            }
            else if (e.EventType == HistoryEventType.SubOrchestrationInstanceCompleted)
            {
                alive -= limits[e.TaskScheduledId];
            }

            mostChildren = Math.Max(mostChildren, alive);
        }

        Assert.HasCount(3, limits);
        CollectionAssert.AreEqual(new[] { 2, 1 }, limits.Values.Take(2).ToArray());
        Assert.AreEqual(3, mostChildren, "the shares of the parts alive at once");
        Assert.AreEqual(2, MostAlive(history));
    }

    /// <summary>The most sub-orchestrations of one orchestration alive at once, read from its history.</summary>
    private static int MostAlive(IReadOnlyList<HistoryEvent> history)
    {
        var alive = 0;
        var most = 0;
        foreach (var e in history)
        {
            alive += e.EventType switch
            {
                HistoryEventType.SubOrchestrationInstanceCreated => 1,
                HistoryEventType.SubOrchestrationInstanceCompleted or HistoryEventType.SubOrchestrationInstanceFailed => -1,
                _ => 0,
            };
            most = Math.Max(most, alive);
        }

        return most;
    }
}
