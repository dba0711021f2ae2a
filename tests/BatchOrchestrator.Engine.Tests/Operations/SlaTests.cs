using System.Globalization;
using System.Text.Json;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Operations;

/// <summary>
/// sla: on the embedded runtime. The deadline is a durable timer racing the attempt; the late
/// task waits for a file only the SLA's own task writes, so the miss is certain and nothing
/// sleeps to synchronise.
/// </summary>
[TestClass]
public sealed class SlaTests
{
    /// <summary>A task that finishes only once the SLA tasks ran (or gives up after a minute).</summary>
    private const string LateTask = """
        +late:
          sh>: "for i in $(seq 600); do [ -f sla.fired ] && exit 0; sleep 0.1; done; exit 1"
        """;

    [TestMethod]
    public async Task A_missed_duration_runs_the_sla_tasks_and_alerts_while_the_attempt_goes_on_to_succeed()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));
        await using var engine = await OperationsEngine.StartAsync();
        engine.Write("late.dig", $$"""
            _export:
              notify:
                webhook: {{server.BaseUri}}alerts
            sla:
              duration: 00:00:01
              +mark:
                sh>: touch sla.fired
            {{LateTask}}
            """);

        var run = await engine.RunAsync("late");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(TaskState.Success, run.Task("+late^sla+mark").State);
        Assert.AreEqual(TaskState.Success, run.Task("+late^sla^alert").State);
        var alert = server.Requests.Single();
        using var body = JsonDocument.Parse(alert.Body);
        Assert.AreEqual("sla_miss", body.RootElement.GetProperty("event").GetString());
        StringAssert.StartsWith(body.RootElement.GetProperty("title").GetString(), "project/late: SLA violation: not finished by ");
    }

    [TestMethod]
    public async Task Fail_true_fails_the_attempt_after_its_tasks_finish_and_alert_false_sends_nothing()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));
        await using var engine = await OperationsEngine.StartAsync();
        engine.Write("strict.dig", $$"""
            _export:
              notify:
                webhook: {{server.BaseUri}}alerts
            sla:
              duration: 00:00:01
              fail: true
              alert: false
              +mark:
                sh>: touch sla.fired
            {{LateTask}}
            """);

        var run = await engine.RunAsync("strict");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual(TaskState.Success, run.Task("+strict+late").State, "the late task still ran to its end");
        var error = run.Outcome.Errors.Single();
        Assert.AreEqual("+strict^sla^fail", error.TaskName);
        Assert.AreEqual("SLA violation", error.Message);
        Assert.AreEqual(AttemptStatus.Error, (await engine.AttemptAsync(run.AttemptId))!.Status);
        Assert.IsFalse(run.Tasks.Any(t => t.TaskName.EndsWith("^alert", StringComparison.Ordinal)));

        // The attempt-end notification (failure is notified by default) is the only request.
        Assert.AreEqual("failure", JsonDocument.Parse(server.Requests.Single().Body).RootElement.GetProperty("event").GetString());
    }

    [TestMethod]
    public async Task An_attempt_that_ends_in_time_ends_at_once_without_running_the_sla_tasks()
    {
        await using var engine = await OperationsEngine.StartAsync();
        engine.Write("quick.dig", """
            sla:
              duration: 01:00:00
              fail: true
              +mark:
                sh>: touch sla.fired
            +step:
              sh>: echo done
            """);

        var run = await engine.RunAsync("quick");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.IsFalse(run.Tasks.Any(t => t.TaskName.Contains("^sla", StringComparison.Ordinal)), run.Describe());
        Assert.IsFalse(engine.Exists("sla.fired"));
    }

    [TestMethod]
    public async Task A_time_of_day_from_a_template_is_a_deadline_in_the_workflows_zone()
    {
        await using var engine = await OperationsEngine.StartAsync();
        engine.Write("clock.dig", $$"""
            timezone: Asia/Tokyo
            sla:
              time: ${deadline}
              +mark:
                sh>: touch sla.fired
            {{LateTask}}
            """);

        // Two seconds from now on Tokyo's clock (a time of day wraps past midnight to the next day, as it should).
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var deadline = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow.AddSeconds(2), tokyo).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var run = await engine.RunAsync("clock", new { deadline });

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(TaskState.Success, run.Task("+clock^sla+mark").State);
    }
}
