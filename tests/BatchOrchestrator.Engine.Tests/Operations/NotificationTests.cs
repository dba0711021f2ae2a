using System.Text.Json;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Operations;

/// <summary>
/// notify&gt; and the project's attempt notifications, through whole workflows on the embedded
/// runtime, posting to a real local HTTP server that stands in for Slack, Teams and a webhook.
/// </summary>
[TestClass]
public sealed class NotificationTests
{
    private const string SlackToken = "T000-B000-XXXXsecretXXXX";

    [TestMethod]
    public async Task Notify_posts_the_message_in_each_services_shape_and_the_secret_webhook_url_is_masked()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));
        await using var engine = await OperationsEngine.StartAsync();
        await engine.Secrets.SetAsync("project", "slack_webhook", new Uri(server.BaseUri, "slack/" + SlackToken).AbsoluteUri, CancellationToken.None);
        engine.Write("tell.dig", $$"""
            _export:
              notify:
                slack: ${secret:slack_webhook}
                teams: {{server.BaseUri}}teams
                webhook:
                  url: {{server.BaseUri}}hook
                  headers:
                    X-Team: data
            +tell:
              notify>: Loaded ${session_date}
              title: Daily load
            """);

        var run = await engine.RunAsync("tell");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var slack = server.Requests.Single(r => r.Path.StartsWith("/slack/", StringComparison.Ordinal));
        using (var body = JsonDocument.Parse(slack.Body))
        {
            Assert.AreEqual("Daily load: Loaded 2026-11-21", body.RootElement.GetProperty("text").GetString());
            var blocks = body.RootElement.GetProperty("blocks");
            Assert.AreEqual("header", blocks[0].GetProperty("type").GetString());
            Assert.AreEqual("Daily load", blocks[0].GetProperty("text").GetProperty("text").GetString());
            Assert.AreEqual("Loaded 2026-11-21", blocks[1].GetProperty("text").GetProperty("text").GetString());
        }

        var teams = server.Requests.Single(r => r.Path == "/teams");
        using (var body = JsonDocument.Parse(teams.Body))
        {
            Assert.AreEqual("message", body.RootElement.GetProperty("type").GetString());
            var attachment = body.RootElement.GetProperty("attachments")[0];
            Assert.AreEqual("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
            var card = attachment.GetProperty("content");
            Assert.AreEqual("AdaptiveCard", card.GetProperty("type").GetString());
            Assert.AreEqual("Daily load", card.GetProperty("body")[0].GetProperty("text").GetString());
            Assert.AreEqual("Loaded 2026-11-21", card.GetProperty("body")[1].GetProperty("text").GetString());
        }

        var hook = server.Requests.Single(r => r.Path == "/hook");
        Assert.AreEqual("data", hook.Header("X-Team"));
        Assert.AreEqual($"{run.AttemptId}/+tell+tell/0", hook.Header("Idempotency-Key"));
        Assert.StartsWith("application/json", hook.ContentType);
        using (var body = JsonDocument.Parse(hook.Body))
        {
            Assert.AreEqual("message", body.RootElement.GetProperty("event").GetString());
            Assert.AreEqual("Loaded 2026-11-21", body.RootElement.GetProperty("text").GetString());
            Assert.AreEqual("+tell+tell", body.RootElement.GetProperty("facts").GetProperty("task").GetString());
        }

        Assert.DoesNotContain(SlackToken, engine.StateText());
        StringAssert.Contains(await engine.LogAsync(run, "+tell+tell"), "slack: 200");
    }

    [TestMethod]
    public async Task A_failed_attempt_notifies_the_project_targets_with_the_failed_task_and_keeps_its_outcome()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));
        await using var engine = await OperationsEngine.StartAsync();

        // The project's notification config, shared by every workflow through !include.
        engine.Write("notifications.dig", $$"""
            notify:
              webhook: {{server.BaseUri}}hook
            """);
        engine.Write("daily.dig", """
            _export:
              !include : notifications.dig
            +load:
              fail>: the source table is empty
            """);

        var run = await engine.RunAsync("daily");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual("+daily+load", run.Outcome.Errors.Single().TaskName);
        Assert.AreEqual(AttemptStatus.Error, (await engine.AttemptAsync(run.AttemptId))!.Status);
        var posted = server.Requests.Single();
        using var body = JsonDocument.Parse(posted.Body);
        Assert.AreEqual("failure", body.RootElement.GetProperty("event").GetString());
        Assert.AreEqual("project/daily: Attempt failed", body.RootElement.GetProperty("title").GetString());
        Assert.AreEqual("+daily+load: the source table is empty", body.RootElement.GetProperty("text").GetString());
        Assert.AreEqual("2026-11-21T00:00:00+00:00", body.RootElement.GetProperty("facts").GetProperty("session").GetString());
        Assert.AreEqual(TaskState.Success, run.Task("+daily^notify").State);
    }

    [TestMethod]
    public async Task Success_is_notified_only_when_the_events_ask_for_it()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));
        await using var engine = await OperationsEngine.StartAsync();
        engine.Write("quiet.dig", $$"""
            _export:
              notify:
                webhook: {{server.BaseUri}}quiet
            +step:
              echo>: done
            """);
        engine.Write("loud.dig", $$"""
            _export:
              notify:
                webhook: {{server.BaseUri}}loud
                events: [success, failure]
            +step:
              echo>: done
            """);

        var quiet = await engine.RunAsync("quiet");
        var loud = await engine.RunAsync("loud");

        Assert.IsTrue(quiet.Succeeded && loud.Succeeded);
        Assert.IsFalse(quiet.Tasks.Any(t => t.TaskName.EndsWith("^notify", StringComparison.Ordinal)));
        var posted = server.Requests.Single();
        Assert.AreEqual("/loud", posted.Path);
        StringAssert.Contains(posted.Body, "\"event\":\"success\"");
    }

    [TestMethod]
    public async Task Server_errors_are_retried_and_a_rejected_webhook_is_not()
    {
        // The flaky workflow runs first: its first two requests are the server's first two.
        await using var server = await TestHttpServer.StartAsync((context, number) => context.Request.Path.Value == "/flaky" && number < 3
            ? TestHttpServer.RespondAsync(context, 503, "busy")
            : context.Request.Path.Value == "/gone"
                ? TestHttpServer.RespondAsync(context, 404, "no such hook")
                : TestHttpServer.RespondAsync(context, 200, "ok"));
        await using var engine = await OperationsEngine.StartAsync();
        engine.Write("flaky.dig", $$"""
            +tell:
              notify>: hello
              webhook: {{server.BaseUri}}flaky
            """);
        engine.Write("gone.dig", $$"""
            +tell:
              notify>: hello
              slack: {{server.BaseUri}}gone
            """);

        var flaky = await engine.RunAsync("flaky");
        var gone = await engine.RunAsync("gone");

        Assert.IsTrue(flaky.Succeeded, flaky.Describe());
        Assert.HasCount(3, server.Requests.Where(r => r.Path == "/flaky"));
        Assert.IsFalse(gone.Succeeded);
        Assert.HasCount(1, server.Requests.Where(r => r.Path == "/gone"));
        StringAssert.Contains(gone.Outcome.Errors.Single().Message, "the slack webhook failed: 404");
    }

    [TestMethod]
    public async Task Without_targets_notify_only_writes_the_message_to_its_log()
    {
        await using var engine = await OperationsEngine.StartAsync();
        engine.Write("alone.dig", """
            +tell:
              notify>: nobody listens
            """);

        var run = await engine.RunAsync("alone");

        Assert.IsTrue(run.Succeeded, run.Describe());
        StringAssert.Contains(await engine.LogAsync(run, "+alone+tell"), "nobody listens");
    }
}
