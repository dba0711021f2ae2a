using System.Text;
using System.Text.Json;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// Orchestration and activity payloads stay small whatever the size of a workflow: Azure Storage
/// queue messages hold 64 KB, and Durable Functions moves a larger one through a blob on every
/// call. Task records and log lines are the part that grows with the workflow; they travel in
/// batches under <see cref="WriteBatches.MaxBytes"/>.
/// </summary>
[TestClass]
public sealed class PayloadBoundTests
{
    private const int Limit = 16 * 1024;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task No_payload_of_a_large_workflow_reaches_16_KB()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("big.dig", $$"""
            +seq:
              for_range>:
                from: 0
                to: 60
                step: 1
              _do:
                sh>: echo seq ${range.index}
            +items:
              for_each>:
                item: [{{string.Join(',', Enumerable.Range(0, 60))}}]
              _parallel:
                limit: 8
              _do:
                echo>: item ${item} — ünïcödé text, escaped in JSON
            +wide:
              for_range>:
                from: 0
                to: 3000
                step: 1
              _parallel: true
              _do:
                echo>: wide ${range.index}
            """);

        var run = await project.RunAsync("big");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var (instances, largest, where) = await LargestPayloadAsync(project);
        TestContext.WriteLine($"{instances} orchestrations; the largest payload is {largest} bytes: {where}");
        Assert.IsGreaterThan(1, instances, "the loops must be split into sub-orchestrations");
        Assert.IsLessThan(Limit, largest, where);
    }

    [TestMethod]
    public async Task A_loop_with_a_long_body_is_split_by_size_so_no_payload_reaches_16_KB()
    {
        // 50 copies of a 700-character body are 35 KB: the parts close by size before their count.
        var body = string.Join(" && ", Enumerable.Range(0, 35).Select(i => $"test -n \"${{range.index}}{i}\""));
        await using var project = await WorkflowProject.StartAsync();
        project.Write("long.dig", $$"""
            +seq:
              for_range>:
                from: 0
                to: 120
                step: 1
              _do:
                sh>: {{body}} && echo "+step ${range.index}&done"
            """);

        var run = await project.RunAsync("long");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(120, run.Tasks.Count(t => t.TaskName.Contains("+range-", StringComparison.Ordinal) && t.State == TaskState.Success), run.Describe());
        var (instances, largest, where) = await LargestPayloadAsync(project);
        TestContext.WriteLine($"{instances} orchestrations; the largest payload is {largest} bytes: {where}");
        Assert.IsLessThan(Limit, largest, where);
    }

    [TestMethod]
    public async Task No_payload_of_the_main_job_reaches_16_KB()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.CopyFrom(MainJob.AdReportTests.WorkflowsFolder(), except: "output");

        var run = await project.RunAsync("ad_report");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var (_, largest, where) = await LargestPayloadAsync(project);
        TestContext.WriteLine($"the largest payload is {largest} bytes: {where}");

        // py>'s runner and digdag module (8 KB) are named, not carried, until the launch activity.
        Assert.IsLessThan(Limit, largest, where);
    }

    private static async Task<(int Instances, int Largest, string Where)> LargestPayloadAsync(WorkflowProject project)
    {
        var client = project.Engine!.Client;
        var (largest, where) = (0, string.Empty);
        var instances = 0;
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 500 }))
        {
            instances++;
            foreach (var e in await client.GetHistoryAsync(instance.InstanceId))
            {
                var size = Encoding.UTF8.GetByteCount(e.Payload ?? string.Empty);
                if (size > largest)
                {
                    (largest, where) = (size, $"{e.EventType} {e.Name} in {instance.InstanceId}");
                }
            }
        }

        return (instances, largest, where);
    }

    [TestMethod]
    public void Every_batch_written_as_json_fits_the_budget_and_no_estimate_is_below_the_json()
    {
        var records = Enumerable.Range(0, 400).Select(i => new RecordUpdate(
            new TaskRecord
            {
                AttemptId = "bo:ad_report:ad_report:2026-12-06T00:00:00Z:0",
                TaskName = $"+ad_report+collect^sub+range-{i}",
                State = TaskState.Error,
                Tries = 3,
                StartedAt = DateTimeOffset.UnixEpoch,
                FinishedAt = DateTimeOffset.UnixEpoch,
                Error = i % 3 == 0 ? "取得に失敗しました <retry> & \"quoted\" + more" : null,
                StoreParams = i % 5 == 0 ? JsonSerializer.SerializeToElement(new { rows = i, note = "日本語 + <tags>" }) : null,
                LogReference = $"ad_report/ad_report/2026-12-06T00_00_00Z/attempt-1/+ad_report+collect^sub+range-{i}.try2.log",
                Sequence = long.MaxValue,
            },
            long.MaxValue)).ToList();
        // Two attempts' lines, interleaved: each run of one attempt's lines is a group of its own in the JSON.
        var logs = Enumerable.Range(0, 300).Select(i => new WriteLogInput(
            new TaskLogKey("ad_report", "ad_report", "2026-12-06T00:00:00Z", i % 7 == 0 ? "attempt-2" : "attempt-1", $"+ad_report+echo^sub+e{i % 40}", 0),
            $"line {i}: ünïcödé + <escaped>\n")).ToList();

        var batches = WriteBatches.Split(records, logs);

        Assert.IsGreaterThan(1, batches.Count);
        Assert.AreEqual(records.Count, batches.Sum(b => b.Records.Count));
        Assert.AreEqual(logs.Count, batches.Sum(b => b.Logs.Count));
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Func<object, int>[] hosts =
        [
            value => JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), web).Length, // the Functions app's serializer
            value => Encoding.UTF8.GetByteCount(JsonDataConverter.Default.Serialize(value)!), // the embedded runtime's
        ];
        foreach (var size in hosts)
        {
            foreach (var batch in batches)
            {
                Assert.IsLessThanOrEqualTo(WriteBatches.MaxBytes, size(new RecordTasksInput { Writes = batch }), "a batch's JSON");
            }

            foreach (var record in records)
            {
                Assert.IsGreaterThanOrEqualTo(size(record), WriteBatches.EstimatedSize(record));
            }

            var noLines = size(new RecordTasksInput { Writes = PendingWrites.None });
            foreach (var line in logs)
            {
                var alone = size(new RecordTasksInput { Writes = new PendingWrites([], [line]) }) - noLines;
                Assert.IsGreaterThanOrEqualTo(alone, WriteBatches.EstimatedSize(line) + WriteBatches.EstimatedAttemptSize(line.Log));
            }
        }
    }

    [TestMethod]
    public void The_lines_of_one_log_stay_in_one_batch_and_in_order()
    {
        var key = new TaskLogKey("p", "w", "2026-12-06T00:00:00Z", "attempt-1", "+w+long", 0);
        var other = key with { TaskName = "+w+other" };
        List<WriteLogInput> logs = [.. Enumerable.Range(0, 50).Select(i => new WriteLogInput(other, new string('x', 200))), .. Enumerable.Range(0, 20).Select(i => new WriteLogInput(key, $"line {i}\n"))];

        var batches = WriteBatches.Split([], logs, maxBytes: 2_000);

        var holding = batches.Where(b => b.Logs.Any(l => l.Log == key)).ToList();
        Assert.HasCount(1, holding);
        CollectionAssert.AreEqual(Enumerable.Range(0, 20).Select(i => $"line {i}\n").ToList(), holding[0].Logs.Where(l => l.Log == key).Select(l => l.Text).ToList());
    }
}
