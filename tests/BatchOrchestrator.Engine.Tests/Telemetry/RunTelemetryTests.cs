using System.Diagnostics;
using System.Text.Json;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Telemetry;
using BatchOrchestrator.Engine.Tests.MainJob;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Workflows;
using static BatchOrchestrator.Engine.Telemetry.TelemetryNames;

namespace BatchOrchestrator.Engine.Tests.Telemetry;

/// <summary>
/// The metrics and spans of real runs on the embedded runtime, read through OpenTelemetry's
/// in-memory exporters: what a team's dashboards and alerts would see (docs/observability.md).
/// </summary>
[TestClass]
public sealed class RunTelemetryTests
{
    [TestMethod]
    public async Task The_main_job_records_its_attempt_each_try_by_operator_and_outcome_its_retry_and_one_span_per_try()
    {
        using var capture = new TelemetryCapture();
        await using var project = await WorkflowProject.StartAsync();
        project.CopyFrom(AdReportTests.WorkflowsFolder(), except: "output");

        var run = await RunAsync(project, "otel_ad_report", "ad_report");

        Assert.IsTrue(run.Succeeded, run.Describe());
        capture.Collect();
        const string name = "otel_ad_report";
        Assert.AreEqual(1, capture.Sum(AttemptStarted, name));
        Assert.AreEqual(1, capture.Sum(AttemptFinished, name, (Outcome, Success)));
        Assert.AreEqual(0, capture.Sum(AttemptFinished, name, (Outcome, Failure)));
        Assert.AreEqual(1, capture.Count(AttemptDuration, name, (Outcome, Success)));
        Assert.AreEqual(3, capture.Sum(TaskTries, name, (Operator, "sh"), (Executor, "local"), (Outcome, Success)), "google, tiktok, and meta's second try");
        Assert.AreEqual(1, capture.Sum(TaskTries, name, (Operator, "sh"), (Outcome, Failure)), "meta's first try (503)");
        Assert.AreEqual(2, capture.Sum(TaskTries, name, (Operator, "py"), (Outcome, Success)));
        Assert.AreEqual(1, capture.Sum(TaskTries, name, (Operator, "echo"), (Outcome, Success)));
        Assert.AreEqual(7, capture.Count(TaskTryDuration, name));
        Assert.AreEqual(1, capture.Sum(TaskRetries, name, (Operator, "sh")));
        Assert.AreEqual(0, capture.Sum(TasksRunning, name), "every try that started ended");
        Assert.AreEqual(0, capture.Sum(TasksQueued, name), "every queued try ran");
        Assert.AreEqual(6, capture.Count(TaskQueueDuration, name), "four sh> tries and two py> tries waited for an activity");
        Assert.AreEqual(6, capture.Count(ExecutorLaunchDuration, name, (Executor, "local")));
        foreach (var tags in capture.TagSets(TaskTries, name))
        {
            CollectionAssert.IsSubsetOf(tags.Keys.ToList(), new[] { Project, Workflow, Operator, Executor, Outcome }, "no task name, session time or attempt on a metric");
        }

        var spans = capture.Spans(run.AttemptId);
        var attempt = spans.Single(s => s.DisplayName == "attempt ad_report");
        Assert.AreEqual(default, attempt.ParentSpanId, "the attempt's span is its trace's root");
        Assert.IsTrue(spans.All(s => s.TraceId == attempt.TraceId), "one trace per attempt");
        var tries = spans.Where(s => s.GetTagItem(TaskName) is not null).ToList();
        CollectionAssert.AreEquivalent(
            new[] { "+ad_report", "+ad_report+collect", "+ad_report+collect+google_ads", "+ad_report+collect+meta_ads", "+ad_report+collect+meta_ads", "+ad_report+collect+tiktok_ads", "+ad_report+aggregate", "+ad_report+load", "+ad_report+report" },
            tries.Select(s => (string)s.GetTagItem(TaskName)!).ToList(),
            "one span per try, the group tries included");
        Assert.AreEqual(tries.Count, tries.Select(s => s.SpanId).Distinct().Count());
        var byName = tries.GroupBy(s => (string)s.GetTagItem(TaskName)!).ToDictionary(g => g.Key, g => g.OrderBy(s => (int)s.GetTagItem(Try)!).ToList());
        Assert.AreEqual(attempt.SpanId, byName["+ad_report"][0].ParentSpanId);
        Assert.AreEqual(byName["+ad_report"][0].SpanId, byName["+ad_report+collect"][0].ParentSpanId);
        var meta = byName["+ad_report+collect+meta_ads"];
        Assert.IsTrue(meta.All(s => s.ParentSpanId == byName["+ad_report+collect"][0].SpanId));
        Assert.AreEqual(ActivityStatusCode.Error, meta[0].Status);
        StringAssert.Contains(meta[0].StatusDescription, "exit code", "the failed try's span says why");
        Assert.AreEqual(ActivityStatusCode.Unset, meta[1].Status);
        Assert.AreEqual("sh", meta[1].GetTagItem(Operator));
        Assert.AreEqual("local", meta[1].GetTagItem(Executor));
        Assert.AreEqual(2, meta[1].GetTagItem(Try));
        Assert.IsTrue(meta[0].StartTimeUtc + meta[0].Duration <= meta[1].StartTimeUtc, "the retry starts after the failed try ended");
    }

    [TestMethod]
    public async Task A_failing_retried_task_records_every_failed_try_its_retries_and_the_failed_attempt()
    {
        using var capture = new TelemetryCapture();
        await using var project = await WorkflowProject.StartAsync();
        project.Write("flaky.dig", "+prepare:\n  echo>: ready\n+fetch:\n  _retry: 2\n  sh>: echo 'upstream said no' >&2; exit 3\n");

        // What started it: the HTTP request's span, on a server.
        var request = new Activity("POST /api/attempts").SetIdFormat(ActivityIdFormat.W3C).Start();
        var started = await StartAsync(project, "otel_failing", "flaky");
        request.Stop();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var run = await project.WaitAsync(started.AttemptId, guard.Token);

        Assert.IsFalse(run.Succeeded);
        capture.Collect();
        const string name = "otel_failing";
        Assert.AreEqual(1, capture.Sum(AttemptFinished, name, (Outcome, Failure)));
        Assert.AreEqual(0, capture.Sum(AttemptFinished, name, (Outcome, Success)));
        Assert.AreEqual(3, capture.Sum(TaskTries, name, (Operator, "sh"), (Outcome, Failure)), "the first try and its two retries");
        Assert.AreEqual(0, capture.Sum(TaskTries, name, (Operator, "sh"), (Outcome, Success)));
        Assert.AreEqual(2, capture.Sum(TaskRetries, name, (Operator, "sh")), "the last failure is not retried");
        Assert.AreEqual(1, capture.Sum(TaskTries, name, (Operator, "echo"), (Outcome, Success)));
        Assert.AreEqual(0, capture.Sum(TasksRunning, name));

        var spans = capture.Spans(run.AttemptId);
        var attempt = spans.Single(s => s.DisplayName == "attempt flaky");
        Assert.AreEqual(ActivityStatusCode.Error, attempt.Status);
        StringAssert.Contains(attempt.StatusDescription, "+flaky+fetch");
        Assert.AreNotEqual(request.TraceId, attempt.TraceId, "the attempt has a trace of its own");
        Assert.AreEqual(request.SpanId, attempt.Links.Single().Context.SpanId, "linked to the request that started it");
        var fetch = spans.Where(s => (string?)s.GetTagItem(TaskName) == "+flaky+fetch").OrderBy(s => (int)s.GetTagItem(Try)!).ToList();
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, fetch.Select(s => (int)s.GetTagItem(Try)!).ToList(), "exactly one span per try");
        Assert.IsTrue(fetch.All(s => s.Status == ActivityStatusCode.Error && s.GetTagItem(ErrorType) is "task_failed"));
    }

    [TestMethod]
    public async Task Called_workflows_and_chunks_of_a_large_group_are_child_spans()
    {
        using var capture = new TelemetryCapture();
        await using var project = await WorkflowProject.StartAsync(new WorkflowEngineOptions { MaxChildrenPerOrchestration = 2 });
        project.Write("child.dig", "+inner:\n  echo>: inside\n");
        project.Write("parent.dig", "+call:\n  call>: child\n+many:\n  +a:\n    echo>: a\n  +b:\n    echo>: b\n  +c:\n    echo>: c\n");

        var run = await RunAsync(project, "otel_nested", "parent");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var spans = capture.Spans(run.AttemptId);
        Activity Named(string task) => spans.Single(s => (string?)s.GetTagItem(TaskName) == task && s.DisplayName == task);
        var call = Named("+parent+call");
        var inner = Named("+parent+call^sub+inner");
        var sub = Named("+parent+call^sub");
        Assert.AreEqual(call.SpanId, sub.ParentSpanId, "the called workflow runs under the call> task's try");
        Assert.AreEqual(sub.SpanId, inner.ParentSpanId);

        var many = Named("+parent+many");
        var chunks = spans.Where(s => s.DisplayName == "chunk +parent+many").ToList();
        Assert.AreEqual(2, chunks.Count, "three children, at most two per orchestration");
        Assert.IsTrue(chunks.All(c => c.ParentSpanId == many.SpanId), "a chunk is a child of its group's try");
        foreach (var child in new[] { "+parent+many+a", "+parent+many+b", "+parent+many+c" })
        {
            CollectionAssert.Contains(chunks.Select(c => c.SpanId).ToList(), Named(child).ParentSpanId, child + " runs under a chunk");
        }

        Assert.IsTrue(spans.All(s => s.TraceId == many.TraceId));
    }

    [TestMethod]
    public async Task After_a_restart_the_replayed_history_records_nothing_again()
    {
        using var capture = new TelemetryCapture();
        using var telemetry = new EngineTelemetry();
        await using var project = await WorkflowProject.StartAsync(telemetry: telemetry);
        project.Write("restart.dig", "+first:\n  sh>: echo one\n+gate:\n  sh>: while [ ! -f go ]; do sleep 0.05; done\n+last:\n  echo>: done\n");
        var started = await StartAsync(project, "otel_restart", "restart");
        await project.WaitForTaskAsync(started.AttemptId, "+restart+gate", Stores.TaskState.Running);

        // A cold start: the new engine replays the attempt's history (+first's try included) before it goes on.
        await project.RestartAsync();
        project.Write("go", "");
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var run = await project.WaitAsync(started.AttemptId, guard.Token);

        Assert.IsTrue(run.Succeeded, run.Describe());
        capture.Collect();
        const string name = "otel_restart";
        Assert.AreEqual(1, capture.Sum(AttemptStarted, name));
        Assert.AreEqual(1, capture.Sum(AttemptFinished, name, (Outcome, Success)));
        Assert.AreEqual(2, capture.Sum(TaskTries, name, (Operator, "sh"), (Outcome, Success)), "+first once, not again on replay; +gate once");
        Assert.AreEqual(1, capture.Sum(TaskTries, name, (Operator, "echo")));
        var spans = capture.Spans(run.AttemptId);
        foreach (var task in new[] { "+restart+first", "+restart+gate", "+restart+last", "+restart" })
        {
            Assert.AreEqual(1, spans.Count(s => s.DisplayName == task), task + ": one span");
        }
    }

    private static async Task<RunResult> RunAsync(WorkflowProject project, string projectName, string workflow)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var started = await StartAsync(project, projectName, workflow);
        return await project.WaitAsync(started.AttemptId, guard.Token);
    }

    /// <summary>Starts a session under a project name of the test's own: listeners are process-wide, and other tests run beside it.</summary>
    private static Task<StartedAttempt> StartAsync(WorkflowProject project, string projectName, string workflow) =>
        project.Engine!.StartAsync(
            new AttemptRequest
            {
                ProjectDirectory = project.Directory_,
                ProjectName = projectName,
                WorkflowName = workflow,
                SessionTime = WorkflowProject.SessionTime,
                SessionParams = JsonSerializer.SerializeToElement(new { }),
            },
            CancellationToken.None);
}
