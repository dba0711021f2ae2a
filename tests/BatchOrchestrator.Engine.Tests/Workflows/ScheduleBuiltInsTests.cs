using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary><c>last_session_time</c> and <c>next_session_time</c> come from the workflow's schedule, and only from it.</summary>
[TestClass]
public sealed class ScheduleBuiltInsTests
{
    [TestMethod]
    public async Task A_scheduled_workflow_sees_its_neighbour_sessions_and_session_params_do_not_replace_them()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("daily.dig", """
            timezone: UTC
            schedule:
              daily>: 10:00:00
            +t:
              sh>: echo "${last_session_time} ${next_session_time}" > out.txt
            """);

        var run = await project.RunAsync("daily", new { next_session_time = "given", last_session_time = "given" });

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("2026-11-20T00:00:00+00:00 2026-11-22T00:00:00+00:00\n", project.Read("out.txt"));
    }

    [TestMethod]
    public async Task Without_a_schedule_they_are_whatever_the_session_params_say()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("plain.dig", """
            +t:
              sh>: echo "${last_session_time} ${next_session_time}" > out.txt
            """);

        var run = await project.RunAsync("plain", new { next_session_time = "n", last_session_time = "l" });

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("l n\n", project.Read("out.txt"));
    }

    [TestMethod]
    public async Task Last_executed_session_is_empty_on_the_first_run_and_the_previous_session_that_ran_after()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("daily.dig", """
            +show:
              sh>: echo "[${last_executed_session_date}]" >> out.txt
            """);
        var day1 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.IsTrue((await project.RunAsync("daily", sessionTime: day1)).Succeeded);
        Assert.IsTrue((await project.RunAsync("daily", sessionTime: day1.AddDays(3))).Succeeded);
        Assert.IsTrue((await project.RunAsync("daily", sessionTime: day1.AddDays(1))).Succeeded);

        Assert.AreEqual("[]\n[2026-11-01]\n[2026-11-01]\n", project.Read("out.txt"));
    }
}
