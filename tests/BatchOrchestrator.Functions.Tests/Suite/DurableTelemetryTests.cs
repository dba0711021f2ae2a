using System.Diagnostics;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Functions.Tests.Harness;
using static BatchOrchestrator.Engine.Telemetry.TelemetryNames;

namespace BatchOrchestrator.Functions.Tests.Suite;

/// <summary>
/// The metrics and spans of the Functions app's own orchestrator and activity functions on the real
/// Durable Task worker, which replays each orchestration's history on every event: a step is
/// recorded by the one execution that did it first, so counts are exact and each try has one span.
/// </summary>
[TestClass]
public sealed class DurableTelemetryTests
{
    [TestMethod]
    public async Task The_main_job_on_the_Durable_worker_counts_each_try_once_and_has_one_span_per_try_through_replays()
    {
        using var capture = new TelemetryCapture();
        await using var scenario = await Scenario.StartAsync("otel_durable_main", ShippedWorkflows.Directory, (root, token) => StartAsync(root, token));

        var run = await scenario.RunAsync("ad_report");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        capture.Collect();
        const string name = "otel_durable_main";
        Assert.AreEqual(1, capture.Sum(AttemptStarted, name));
        Assert.AreEqual(1, capture.Sum(AttemptFinished, name, (Outcome, Success)));
        Assert.AreEqual(1, capture.Count(AttemptDuration, name));
        Assert.AreEqual(3, capture.Sum(TaskTries, name, (Operator, "sh"), (Outcome, Success)));
        Assert.AreEqual(1, capture.Sum(TaskTries, name, (Operator, "sh"), (Outcome, Failure)));
        Assert.AreEqual(2, capture.Sum(TaskTries, name, (Operator, "py"), (Outcome, Success)));
        Assert.AreEqual(1, capture.Sum(TaskTries, name, (Operator, "echo"), (Outcome, Success)));
        Assert.AreEqual(1, capture.Sum(TaskRetries, name));
        Assert.AreEqual(0, capture.Sum(TasksRunning, name));
        Assert.AreEqual(0, capture.Sum(TasksQueued, name));
        Assert.AreEqual(6, capture.Count(TaskQueueDuration, name), "activities record their own work, once each");
        Assert.AreEqual(6, capture.Count(ExecutorLaunchDuration, name, (Executor, "local")));

        var spans = capture.Spans(run.AttemptId);
        Assert.AreEqual(1, spans.Count(s => s.DisplayName == "attempt ad_report"));
        var tries = spans.Where(s => s.GetTagItem(TaskName) is string).GroupBy(s => $"{s.GetTagItem(TaskName)} try {s.GetTagItem(Try)}").ToList();
        Assert.IsTrue(tries.All(t => t.Count() == 1), "one span per try: " + string.Join(", ", tries.Where(t => t.Count() > 1).Select(t => $"{t.Key} x{t.Count()}")));
        CollectionAssert.AreEquivalent(
            new[]
            {
                "+ad_report try 1", "+ad_report+collect try 1", "+ad_report+collect+google_ads try 1", "+ad_report+collect+meta_ads try 1",
                "+ad_report+collect+meta_ads try 2", "+ad_report+collect+tiktok_ads try 1", "+ad_report+aggregate try 1", "+ad_report+load try 1", "+ad_report+report try 1",
            },
            tries.Select(t => t.Key).ToList());
        Assert.IsTrue(spans.All(s => s.TraceId == spans[0].TraceId), "one trace per attempt");
        var collect = tries.Single(t => t.Key == "+ad_report+collect try 1").Single();
        Assert.IsTrue(tries.Where(t => t.Key.StartsWith("+ad_report+collect+", StringComparison.Ordinal)).All(t => t.Single().ParentSpanId == collect.SpanId));
    }

    [TestMethod]
    public async Task A_failing_retried_task_on_the_Durable_worker_records_three_failed_tries_two_retries_and_one_failed_attempt()
    {
        using var capture = new TelemetryCapture();
        await using var scenario = await Scenario.StartAsync("telemetry", (root, token) => StartAsync(root, token));

        var run = await scenario.RunAsync("flaky");

        Assert.AreEqual(AttemptStatus.Error, run.Attempt.Status, run.Describe());
        capture.Collect();
        Assert.AreEqual(1, capture.Sum(AttemptFinished, "telemetry", (Outcome, Failure)));
        Assert.AreEqual(0, capture.Sum(AttemptFinished, "telemetry", (Outcome, Success)));
        Assert.AreEqual(3, capture.Sum(TaskTries, "telemetry", (Operator, "sh"), (Outcome, Failure)));
        Assert.AreEqual(2, capture.Sum(TaskRetries, "telemetry", (Operator, "sh")));
        Assert.AreEqual(1, capture.Sum(TaskTries, "telemetry", (Operator, "echo"), (Outcome, Success)));

        var spans = capture.Spans(run.AttemptId);
        var fetch = spans.Where(s => (string?)s.GetTagItem(TaskName) == "+flaky+fetch").Select(s => (int)s.GetTagItem(Try)!).Order().ToList();
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, fetch, "exactly one span per try");
        var attempt = spans.Single(s => s.DisplayName == "attempt flaky");
        Assert.AreEqual(ActivityStatusCode.Error, attempt.Status);
    }

    private static async Task<IConformanceRuntime> StartAsync(string root, CancellationToken cancellationToken) =>
        await DurableTaskRuntime.StartAsync(root, new RuntimeSettings(), cancellationToken);
}
