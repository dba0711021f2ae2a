using System.Net;
using System.Net.Http.Json;
using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Server.Tests.Api;

[TestClass]
public sealed class AttemptRoutesTests
{
    private const string Chain = """
        +first:
          sh>: echo first ${greeting}
        +second:
          sh>: echo second
        """;

    [TestMethod]
    public async Task A_started_attempt_runs_to_success_and_its_tasks_and_logs_are_served()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", Chain);
        var started = await server.StartAttemptAsync("shop", "daily", "2024-05-01", """{"greeting":"hi"}""");
        Assert.AreEqual("shop", started.Project);
        Assert.AreEqual(new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero), started.SessionTime);

        var ended = await server.WaitEndedAsync(started.Id);
        Assert.AreEqual(AttemptStatus.Success, ended.Status);

        var tasks = await server.GetAsync<List<TaskView>>($"/api/attempts/{Uri.EscapeDataString(started.Id)}/tasks");
        CollectionAssert.AreEquivalent(new[] { "+daily", "+daily+first", "+daily+second" }, tasks.Select(t => t.Name).ToArray());
        Assert.AreEqual("+daily", tasks.Single(t => t.Name == "+daily+first").Parent);
        Assert.IsTrue(tasks.All(t => t.State == TaskState.Success));

        var logs = await server.GetAsync<List<LogFileView>>($"/api/attempts/{Uri.EscapeDataString(started.Id)}/logs");
        var first = logs.Single(l => l.Task == "+daily+first");
        Assert.IsGreaterThan(0L, first.Size);
        Assert.AreEqual(1, first.Try, "tries count from 1 in the API, as everywhere");
        using var log = await server.Client.GetAsync(new Uri($"/api/attempts/{Uri.EscapeDataString(started.Id)}/logs/+daily+first", UriKind.Relative));
        Assert.Contains("first hi", await log.Content.ReadAsStringAsync());
        var next = long.Parse(log.Headers.GetValues("X-Next-Offset").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.AreEqual(first.Size, next);

        using var rest = await server.Client.GetAsync(new Uri($"/api/attempts/{Uri.EscapeDataString(started.Id)}/logs/+daily+first?offset={next}", UriKind.Relative));
        Assert.AreEqual(string.Empty, await rest.Content.ReadAsStringAsync(), "nothing after the end");

        var session = await server.GetAsync<SessionView>("/api/sessions/" + Uri.EscapeDataString(started.SessionId));
        Assert.AreEqual(started.Id, session.LatestAttempt?.Id);
        var listed = await server.GetAsync<PageView<AttemptView>>("/api/attempts?status=success&project=shop");
        Assert.AreEqual(started.Id, listed.Items.Single().Id);
        var none = await server.GetAsync<PageView<AttemptView>>("/api/attempts?status=error");
        Assert.IsEmpty(none.Items);
    }

    [TestMethod]
    public async Task A_long_log_is_served_in_parts_of_at_most_a_few_mebibytes_that_add_up_to_all_of_it()
    {
        // 20 MiB of numbered lines: one read used to hold all of it (a 200 MB log took the server to 1.17 GB).
        await using var server = await TestServer.StartAsync("shop", "talk.dig", "+talk:\n  sh>: seq 1 2700000\n");
        var attempt = await server.StartAttemptAsync("shop", "talk");
        Assert.AreEqual(AttemptStatus.Success, (await server.WaitEndedAsync(attempt.Id)).Status);
        var path = $"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/logs/+talk+talk";
        var size = (await server.GetAsync<List<LogFileView>>($"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/logs")).Single().Size;
        Assert.IsGreaterThan(18L << 20, size);

        long offset = 0;
        var parts = 0;
        var lines = 0L;
        var last = "";
        while (true)
        {
            using var part = await server.Client.GetAsync(new Uri($"{path}?offset={offset}", UriKind.Relative));
            var text = await part.Content.ReadAsStringAsync();
            if (text.Length == 0)
            {
                break;
            }

            Assert.IsLessThanOrEqualTo(2L << 20, (long)System.Text.Encoding.UTF8.GetByteCount(text), "a part is at most the part size and one store chunk");
            var next = long.Parse(part.Headers.GetValues("X-Next-Offset").Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.AreEqual(offset + System.Text.Encoding.UTF8.GetByteCount(text), next);
            lines += text.Count(c => c == '\n');
            last = (last + text)[^Math.Min(last.Length + text.Length, 20)..];
            offset = next;
            parts++;
        }

        Assert.AreEqual(size, offset);
        Assert.IsGreaterThanOrEqualTo(4, parts);
        Assert.IsGreaterThanOrEqualTo(2_700_000L, lines);
        StringAssert.Contains(last, "2700000\n");
    }

    [TestMethod]
    public async Task Starting_a_session_twice_answers_409_with_the_attempt_it_already_has()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", Chain);
        var first = await server.StartAttemptAsync("shop", "daily", "2024-05-02");

        using var again = await server.PostJsonAsync("/api/attempts", """{"project":"shop","workflow":"daily","sessionTime":"2024-05-02T00:00:00Z"}""");
        var problem = await TestServer.AssertProblemAsync(again, HttpStatusCode.Conflict);
        Assert.AreEqual(first.Id, problem.GetProperty("attempt").GetProperty("id").GetString());
    }

    [TestMethod]
    public async Task Retry_failed_reuses_what_succeeded_and_kill_stops_a_running_attempt()
    {
        await using var server = await TestServer.StartAsync("shop", "flaky.dig", """
            +ok:
              sh>: echo ok >> ../runs.txt
            +flaky:
              sh>: test -f ../fixed
            """);
        var attempt = await server.StartAttemptAsync("shop", "flaky", "2024-05-03");
        Assert.AreEqual(AttemptStatus.Error, (await server.WaitEndedAsync(attempt.Id)).Status);

        using var kill = await server.Client.PostAsync(new Uri($"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/kill", UriKind.Relative), null);
        await TestServer.AssertProblemAsync(kill, HttpStatusCode.Conflict);

        await File.WriteAllTextAsync(Path.Combine(server.ProjectsRoot, "fixed"), string.Empty);
        using var retry = await server.PostJsonAsync($"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/retry", """{"mode":"failed"}""");
        Assert.AreEqual(HttpStatusCode.Created, retry.StatusCode, await retry.Content.ReadAsStringAsync());
        var retried = (await retry.Content.ReadFromJsonAsync<AttemptView>(TestServer.Json))!;
        Assert.AreEqual("retry-1", retried.RetryAttemptName);
        Assert.AreEqual(attempt.Id, retried.ResumedFrom);
        Assert.AreEqual(AttemptStatus.Success, (await server.WaitEndedAsync(retried.Id)).Status);
        Assert.HasCount(1, File.ReadAllLines(Path.Combine(server.ProjectsRoot, "runs.txt")), "+ok succeeded before and is reused");

        using var badFrom = await server.PostJsonAsync($"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/retry", """{"mode":"from","fromTask":"+nope"}""");
        await TestServer.AssertProblemAsync(badFrom, HttpStatusCode.BadRequest);
    }

    [TestMethod]
    public async Task Kill_of_a_running_attempt_is_202_and_its_task_ends_canceled()
    {
        await using var server = await TestServer.StartAsync("shop", "slow.dig", """
            +wait:
              sh>: touch ../started; while [ ! -f ../never ]; do sleep 0.05; done
            """);
        var attempt = await server.StartAttemptAsync("shop", "slow", "2024-05-04");
        await TestServer.WaitForFileAsync(Path.Combine(server.ProjectsRoot, "started"));

        using var kill = await server.Client.PostAsync(new Uri($"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/kill", UriKind.Relative), null);
        Assert.AreEqual(HttpStatusCode.Accepted, kill.StatusCode, await kill.Content.ReadAsStringAsync());
        Assert.AreEqual(AttemptStatus.Killed, (await server.WaitEndedAsync(attempt.Id)).Status);
        var tasks = await server.GetAsync<List<TaskView>>($"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/tasks");
        Assert.AreEqual(TaskState.Canceled, tasks.Single(t => t.Name == "+slow+wait").State);
    }

    [TestMethod]
    public async Task A_followed_log_streams_until_the_task_ends()
    {
        await using var server = await TestServer.StartAsync("shop", "talk.dig", """
            +talk:
              sh>: echo one; while [ ! -f ../release ]; do sleep 0.05; done; echo two
            """);
        var attempt = await server.StartAttemptAsync("shop", "talk", "2024-05-05");
        var path = $"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/logs/+talk+talk?follow=true";
        using (var guard = new CancellationTokenSource(TestServer.Guard))
        {
            // The log exists once the task runs; follow it from then.
            while ((await server.GetAsync<List<LogFileView>>($"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/logs")).Count == 0)
            {
                await Task.Delay(50, guard.Token);
            }
        }

        using var response = await server.Client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.AreEqual("one", await reader.ReadLineAsync(), "the text so far is sent before the task ends");
        await File.WriteAllTextAsync(Path.Combine(server.ProjectsRoot, "release"), string.Empty);
        Assert.AreEqual("two", (await reader.ReadToEndAsync()).Trim(), "the rest arrives, then the stream ends with the task");
    }

    [TestMethod]
    public async Task Bad_start_requests_get_a_problem_saying_what_was_wrong_and_start_nothing()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", Chain);
        var cases = new (string Body, HttpStatusCode Status, string Says)[]
        {
            ("""{"project":"shop",""", HttpStatusCode.BadRequest, "not valid"),
            ("""{"project":"shop","workflow":"daily","colour":"red"}""", HttpStatusCode.BadRequest, "unknown field 'colour'"),
            ("""{"project":"shop"}""", HttpStatusCode.BadRequest, "workflow"),
            ("""{"project":"shop","workflow":"daily","params":[1]}""", HttpStatusCode.BadRequest, "params"),
            ("""{"project":"shop","workflow":"daily","sessionTime":"yesterday-ish"}""", HttpStatusCode.BadRequest, "sessionTime"),
            ("""{"project":"shop","workflow":"dayly"}""", HttpStatusCode.NotFound, "did you mean 'daily'"),
            ("""{"project":"nope","workflow":"daily"}""", HttpStatusCode.NotFound, "no project 'nope'"),
            ("""{"project":"../shop","workflow":"daily"}""", HttpStatusCode.BadRequest, "not a valid name"),
            ("""{"project":"shop","workflow":"..\\daily"}""", HttpStatusCode.BadRequest, "not a valid name"),
            ("null", HttpStatusCode.BadRequest, "null"),
            ("", HttpStatusCode.BadRequest, "needs a JSON body"),
        };
        foreach (var (body, status, says) in cases)
        {
            using var response = await server.PostJsonAsync("/api/attempts", body);
            var problem = await TestServer.AssertProblemAsync(response, status);
            Assert.Contains(says, problem.GetRawText(), $"{body}: {problem}");
        }

        var big = "{\"project\":\"shop\",\"workflow\":\"daily\",\"params\":{\"x\":\"" + new string('a', 2 << 20) + "\"}}";
        using (var tooBig = await server.PostJsonAsync("/api/attempts", big))
        {
            await TestServer.AssertProblemAsync(tooBig, HttpStatusCode.RequestEntityTooLarge);
        }

        Assert.IsEmpty((await server.Runs.ListSessionsAsync(new SessionQuery(), CancellationToken.None)).Items, "no session was recorded");
    }

    [TestMethod]
    public async Task Unknown_attempts_and_sessions_are_404_with_a_problem()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", Chain);
        foreach (var path in new[] { "/api/attempts/nope", "/api/attempts/nope/tasks", "/api/attempts/nope/logs", "/api/sessions/nope", "/api/sessions/nope/attempts", "/api/no-such-route" })
        {
            using var response = await server.Client.GetAsync(new Uri(path, UriKind.Relative));
            await TestServer.AssertProblemAsync(response, HttpStatusCode.NotFound);
        }

        using var badPage = await server.Client.GetAsync(new Uri("/api/attempts?pageSize=lots", UriKind.Relative));
        Assert.Contains("pageSize", (await TestServer.AssertProblemAsync(badPage, HttpStatusCode.BadRequest)).GetRawText());
        using var badStatus = await server.Client.GetAsync(new Uri("/api/attempts?status=sleeping", UriKind.Relative));
        await TestServer.AssertProblemAsync(badStatus, HttpStatusCode.BadRequest);
        using var badToken = await server.Client.GetAsync(new Uri("/api/sessions?continuation=forged", UriKind.Relative));
        Assert.Contains("continuation", (await TestServer.AssertProblemAsync(badToken, HttpStatusCode.BadRequest)).GetRawText());
    }
}
