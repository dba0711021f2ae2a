using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Functions.Tests.Harness;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Functions.Tests.Suite;

/// <summary>The main job, large workflows split into sub-orchestrations, retries of attempts, kill.</summary>
public abstract partial class ConformanceSuite
{
    /// <summary>Azure Storage's limit on instance ids; neither test backend enforces it.</summary>
    private const int MaxInstanceIdLength = 100;

    [TestMethod]
    public async Task The_main_job_collects_retries_the_flaky_source_aggregates_and_loads()
    {
        await using var scenario = await Scenario.StartShippedAsync((root, token) => StartRuntimeAsync(root, new RuntimeSettings(), token));

        var run = await scenario.RunAsync("ad_report");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEquivalent(
            new[]
            {
                "+ad_report Success 1",
                "+ad_report+collect Success 1",
                "+ad_report+collect+google_ads Success 1",
                "+ad_report+collect+meta_ads Success 2",
                "+ad_report+collect+tiktok_ads Success 1",
                "+ad_report+aggregate Success 1",
                "+ad_report+load Success 1",
                "+ad_report+report Success 1",
            },
            run.States.ToArray(),
            run.Describe());
        Assert.AreEqual(
            """{"platforms":3,"summary_file":"output/20261121/summary.csv","total_clicks":3303,"total_impressions":75986}""",
            run.StoreParams("+ad_report+aggregate"));
        Assert.AreEqual("2026-11-21: 75986 impressions, 3303 clicks across 3 platforms (loaded into output/ad_report.sqlite)\n", await scenario.LogAsync(run, "+ad_report+report"));
        Assert.IsFalse(scenario.Exists("output/notifications.log"));

        await using var connection = new SqliteConnection($"Data Source={scenario.PathOf("output/ad_report.sqlite")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(scenario.Cancellation);
        var command = connection.CreateCommand();
        command.CommandText = "SELECT platform, campaigns, impressions, clicks FROM daily_platform_stats WHERE date = '2026-11-21' ORDER BY platform";
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(scenario.Cancellation))
        {
            while (await reader.ReadAsync(scenario.Cancellation))
            {
                rows.Add($"{reader.GetString(0)}:{reader.GetInt64(1)}:{reader.GetInt64(2)}:{reader.GetInt64(3)}");
            }
        }

        Assert.HasCount(3, rows);
        CollectionAssert.AreEqual(new[] { "google_ads:35", "meta_ads:22", "tiktok_ads:9" }, rows.Select(r => string.Join(':', r.Split(':').Take(2))).ToArray());
        Assert.AreEqual(75986, rows.Sum(r => long.Parse(r.Split(':')[2], System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// How many sessions of the reproduction workflow run one after another: the failure it
    /// reproduces showed in 4 of 7 runs. A session takes 1-2 s on the embedded runtime and 2-6 s
    /// on the Durable Task test host once warm (its first, with the JIT, 15-30 s) on 2 cores.
    /// </summary>
    private const int ReproRuns = 20;

    /// <summary>
    /// The workflow whose chunk orchestrations once got param sequence numbers their parent had
    /// already used (4 of 7 runs failed) and instance ids past 100 characters: its sessions, one
    /// after another, each succeed with its params in order, every id within Durable's limit.
    /// </summary>
    [TestMethod]
    public async Task A_workflow_chunked_at_two_levels_succeeds_every_time_with_its_params_in_order()
    {
        await using var scenario = await ScenarioAsync("repro");

        for (var i = 0; i < ReproRuns; i++)
        {
            scenario.RestartGuard();
            var run = await scenario.RunAsync("repro", sessionTime: Scenario.SessionTime.AddDays(i));

            Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, $"session {i + 1} of {ReproRuns}: {run.Describe()}");
            Assert.AreEqual("""{"checked":"seq-119"}""", run.StoreParams("+repro+check"), $"session {i + 1}");
            Assert.AreEqual(3000, run.Tasks.Count(t => t.TaskName.StartsWith("+repro+fan^sub+range-", StringComparison.Ordinal) && t.State == TaskState.Success), $"session {i + 1}");
        }

        var ids = new List<string>();
        // Pages of 100: the test host's sidecar returns every instance's input and output whatever
        // the query asks, and 500 chunk instances overflow gRPC's 4 MB message limit.
        await foreach (var instance in scenario.Runtime.Launcher.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 100 }, scenario.Cancellation))
        {
            ids.Add(instance.InstanceId);
        }

        Assert.IsGreaterThan(ReproRuns * 100, ids.Count, "the loops are split into chunk orchestrations");
        Assert.IsEmpty(ids.Where(id => id.Length > 100).ToList(), "instance ids over Durable Functions' 100 characters");
        Assert.HasCount(ids.Count, ids.Distinct(StringComparer.Ordinal).ToList());
    }

    [TestMethod]
    public async Task Large_loops_and_groups_split_into_sub_orchestrations_at_two_levels_run_every_child_once()
    {
        await using var scenario = await ScenarioAsync("chunking", new RuntimeSettings { MaxChildrenPerOrchestration = 3 });

        var run = await scenario.RunAsync("big");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEqual(Enumerable.Range(0, 20).Select(i => $"{i}").ToArray(), scenario.Lines("range.txt"));
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 12).Select(i => $"p{i}").ToArray(), scenario.Lines("parallel.txt"));
        CollectionAssert.AreEqual(Enumerable.Range(1, 10).Select(i => $"s{i}").ToArray(), scenario.Lines("group.txt"));
        Assert.AreEqual("after 9 done\n", scenario.Read("after.txt"), "params stored inside chunks reach later tasks");
        Assert.AreEqual(20, run.Tasks.Count(t => t.TaskName.StartsWith("+big+range^sub+range-", StringComparison.Ordinal)), run.Describe());
        Assert.AreEqual(12, run.Tasks.Count(t => t.TaskName.StartsWith("+big+parallel_loop^sub+loop-", StringComparison.Ordinal)), run.Describe());
        Assert.IsTrue(run.Tasks.All(t => t.State == TaskState.Success && t.Tries == 1), run.Describe());
        Assert.AreEqual(1 + (2 + 20) + (2 + 12) + (1 + 10) + (2 + 10) + 1, run.Tasks.Count, run.Describe());

        var instances = new List<OrchestrationMetadata>();
        await foreach (var instance in scenario.Runtime.Launcher.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 100 }, scenario.Cancellation))
        {
            instances.Add(instance);
        }

        // 20 iterations: 3 parts of 7, 7, 6, each split again into parts of 3: 3 + 9 orchestrations.
        var children = instances.Where(i => i.InstanceId != run.AttemptId).ToList();
        Assert.IsGreaterThanOrEqualTo(12, children.Count, string.Join('\n', instances.Select(i => i.InstanceId)));
        Assert.IsTrue(instances.All(i => i.RuntimeStatus == OrchestrationRuntimeStatus.Completed), string.Join('\n', instances.Select(i => $"{i.InstanceId} {i.RuntimeStatus}")));
        Assert.IsTrue(children.Any(c => c.ParentInstanceId is { } parent && parent != run.AttemptId), "some chunk is a child of another chunk");

        if (scenario.Runtime.ReturnsHistory)
        {
            // The Durable Task test host's in-memory backend returns no history: bounded histories are checked on the embedded runtime only.
            var largest = 0;
            foreach (var instance in instances)
            {
                largest = Math.Max(largest, (await scenario.Runtime.Launcher.Client.GetHistoryAsync(instance.InstanceId, scenario.Cancellation)).Count);
            }

            Assert.IsLessThan(300, largest, "no history grows with the size of the loop");
        }
    }

    /// <summary>
    /// Params stored in different chunks meet at the loop's join. Known to fail while chunked
    /// workflows can give two params the same sequence number ("Two param contributions have the
    /// same sequence number"): being fixed on branch <c>seq</c>.
    /// </summary>
    [TestMethod]
    public async Task Params_stored_by_a_parallel_loop_split_into_chunks_meet_at_the_join()
    {
        await using var scenario = await ScenarioAsync("chunking", new RuntimeSettings { MaxChildrenPerOrchestration = 3 });

        var run = await scenario.RunAsync("parallel_store");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 12).Select(i => $"{i}").ToArray(), scenario.Lines("fan.txt"));
        Assert.AreEqual("after 9 done 11\n", scenario.Read("after.txt"), "the last iteration in submission order wins");
        Assert.AreEqual("""{"winner":"7"}""", run.StoreParams("+parallel_store+fan^sub+loop-7"));
        Assert.IsTrue(run.Tasks.All(t => t.State == TaskState.Success && t.Tries == 1), run.Describe());
    }

    /// <summary>
    /// Azure Storage refuses instance ids over 100 characters; neither the embedded runtime nor the
    /// test host's in-memory backend does, so the suite checks the ids a two-level split makes.
    /// </summary>
    [TestMethod]
    public async Task Sub_orchestration_ids_of_a_two_level_split_stay_within_100_characters()
    {
        await using var scenario = await ScenarioAsync("chunking", new RuntimeSettings { MaxChildrenPerOrchestration = 3 });

        var run = await scenario.RunAsync("big");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        var tooLong = new List<string>();
        await foreach (var instance in scenario.Runtime.Launcher.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 100 }, scenario.Cancellation))
        {
            if (instance.InstanceId.Length > MaxInstanceIdLength)
            {
                tooLong.Add($"{instance.InstanceId} ({instance.InstanceId.Length})");
            }
        }

        Assert.IsEmpty(tooLong, $"instance ids over Azure Storage's {MaxInstanceIdLength} characters:\n{string.Join('\n', tooLong)}");
    }

    [TestMethod]
    public async Task Retrying_a_failed_attempt_reuses_what_succeeded_runs_everything_or_runs_from_a_task()
    {
        await using var scenario = await ScenarioAsync("attempts");

        var first = await scenario.RunAsync("resume", new { mode = "first" });
        Assert.AreEqual(AttemptStatus.Error, first.Attempt.Status, first.Describe());
        CollectionAssert.AreEquivalent(new[] { "+resume GroupError 1", "+resume+a Success 1", "+resume+b Error 1", "+resume+c Canceled 0" }, first.States.ToArray(), first.Describe());
        CollectionAssert.AreEqual(new[] { "+resume+b: Command failed with exit code 1. It wrote no output." }, first.Errors.ToArray());
        File.WriteAllText(scenario.PathOf("fixed"), string.Empty);

        // Failed: +a is reused with its stored token; +b and +c run, with the params given on retry.
        var failed = await scenario.RetryAsync(first, ResumeMode.Failed, sessionParams: new { mode = "failed" });
        Assert.AreEqual(AttemptStatus.Success, failed.Attempt.Status, failed.Describe());
        Assert.AreEqual("retry-1", failed.Attempt.RetryAttemptName);
        Assert.AreEqual(first.AttemptId, failed.Attempt.ResumedFrom);
        CollectionAssert.AreEqual(new[] { "a", "b first", "b failed", "c t-42 failed" }, scenario.Lines("runs.txt"));
        Assert.AreEqual("""{"token":"t-42"}""", failed.StoreParams("+resume+a"));
        Assert.AreEqual(TaskState.Success, failed.Task("+resume+a").State);

        // All: everything again.
        var all = await scenario.RetryAsync(failed, ResumeMode.None);
        Assert.AreEqual(AttemptStatus.Success, all.Attempt.Status, all.Describe());
        Assert.AreEqual("retry-2", all.Attempt.RetryAttemptName);
        Assert.IsNull(all.Attempt.ResumedFrom);
        CollectionAssert.AreEqual(new[] { "a", "b first", "b failed", "c t-42 failed", "a", "b failed", "c t-42 failed" }, scenario.Lines("runs.txt"));
        CollectionAssert.AreEquivalent(new[] { "+resume Success 1", "+resume+a Success 1", "+resume+b Success 1", "+resume+c Success 1" }, all.States.ToArray(), all.Describe());

        // From +c: only +c runs again, with +a's stored token.
        var from = await scenario.RetryAsync(all, ResumeMode.From, fromTask: "+c");
        Assert.AreEqual(AttemptStatus.Success, from.Attempt.Status, from.Describe());
        Assert.AreEqual("retry-3", from.Attempt.RetryAttemptName);
        CollectionAssert.AreEqual(new[] { "a", "b first", "b failed", "c t-42 failed", "a", "b failed", "c t-42 failed", "c t-42 failed" }, scenario.Lines("runs.txt"));

        var attempts = await scenario.Runs.GetAttemptsAsync(first.Attempt.SessionId, scenario.Cancellation);
        CollectionAssert.AreEqual(
            new[] { "1 - Error", "2 retry-1 Success", "3 retry-2 Success", "4 retry-3 Success" },
            attempts.Select(a => $"{a.Index} {a.RetryAttemptName ?? "-"} {a.Status}").ToArray());
    }

    [TestMethod]
    public async Task Retrying_failed_tasks_keeps_the_params_stored_inside_a_call()
    {
        await using var scenario = await ScenarioAsync("attempts");

        var first = await scenario.RunAsync("through_call");
        Assert.AreEqual(AttemptStatus.Error, first.Attempt.Status, first.Describe());
        File.WriteAllText(scenario.PathOf("fixed_call"), string.Empty);

        var retry = await scenario.RetryAsync(first, ResumeMode.Failed);

        Assert.AreEqual(AttemptStatus.Success, retry.Attempt.Status, retry.Describe());
        CollectionAssert.AreEqual(new[] { "produce", "use from_child" }, scenario.Lines("runs_call.txt"));
        CollectionAssert.AreEquivalent(
            new[]
            {
                "+through_call Success 1",
                "+through_call+call_child Success 1",
                "+through_call+flaky Success 1",
                "+through_call+use Success 1",
            },
            retry.States.Where(s => !s.StartsWith("+through_call+call_child^", StringComparison.Ordinal)).ToArray(),
            retry.Describe());
    }

    [TestMethod]
    public async Task Killing_an_attempt_stops_its_process_cancels_its_tasks_and_runs_nothing_new()
    {
        await using var scenario = await ScenarioAsync("kill");

        var started = await scenario.StartAsync("kill");
        await scenario.WaitForTaskAsync(started.AttemptId, "+kill+long", TaskState.Running);
        await scenario.WaitForFileAsync("child.pid");
        var childPid = int.Parse(scenario.Read("child.pid").Trim(), System.Globalization.CultureInfo.InvariantCulture);

        Assert.IsTrue(await scenario.KillAsync(started.AttemptId));

        await WaitUntilGoneAsync(childPid, scenario.Cancellation);
        var run = await scenario.ReadAsync(started.AttemptId);
        Assert.AreEqual(AttemptStatus.Killed, run.Attempt.Status, run.Describe());
        Assert.AreEqual(TaskState.Canceled, run.Task("+kill+long").State, run.Describe());
        Assert.IsFalse(run.Tasks.Any(t => t.TaskName == "+kill+never" && t.State != TaskState.Canceled), run.Describe());
        // A termination is enqueued, then processed: wait for it.
        var instance = await scenario.Runtime.Launcher.Client.WaitForInstanceCompletionAsync(started.AttemptId, cancellation: scenario.Cancellation);
        Assert.AreEqual(OrchestrationRuntimeStatus.Terminated, instance.RuntimeStatus);
        Assert.IsFalse(scenario.Exists("never.txt"));
        Assert.IsFalse(await scenario.KillAsync(started.AttemptId), "a finished attempt cannot be killed again");

        // The kill found the command by the state its launch recorded (what it cancels through the executor).
        var tries = await scenario.Runtime.Launcher.Runs.GetStartedTriesAsync(started.AttemptId, scenario.Cancellation);
        var longTry = tries.Single(t => t.TaskName == "+kill+long");
        Assert.AreEqual("local", longTry.Executor);
        Assert.IsNotNull(longTry.Command, "the launch recorded the command's state");
    }

    [TestMethod]
    public async Task Killing_an_attempt_runs_the_cleanup_of_its_running_activity_operator()
    {
        await using var scenario = await ScenarioAsync("kill");

        // A server that takes the request and never answers; it sees the client give up.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var started = await scenario.StartAsync("kill_http", new { url = $"http://127.0.0.1:{port}/slow" });
        using var connection = await listener.AcceptTcpClientAsync(scenario.Cancellation);
        var stream = connection.GetStream();
        var buffer = new byte[4096];
        var request = "";
        while (!request.Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, scenario.Cancellation);
            Assert.AreNotEqual(0, read, "the request arrives whole");
            request += System.Text.Encoding.ASCII.GetString(buffer, 0, read);
        }

        await scenario.WaitForTaskAsync(started.AttemptId, "+kill_http+call", TaskState.Running);
        Assert.IsTrue(await scenario.KillAsync(started.AttemptId));

        // http>'s cleanup abandons the request: the connection closes (else it would wait 10 minutes).
        await ReadUntilClosedAsync(stream, scenario.Cancellation);
        var run = await scenario.ReadAsync(started.AttemptId);
        Assert.AreEqual(AttemptStatus.Killed, run.Attempt.Status, run.Describe());
        Assert.AreEqual(TaskState.Canceled, run.Task("+kill_http+call").State, run.Describe());
        Assert.IsFalse(scenario.Exists("never.txt"));
    }

    /// <summary>Reads until the peer closes or resets the connection; bounded by the token (the scenario's guard).</summary>
    private static async Task ReadUntilClosedAsync(System.Net.Sockets.NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        catch (IOException)
        {
            // A reset is a close too.
        }
    }

    [TestMethod]
    public async Task Killing_an_attempt_terminates_its_sub_orchestrations_and_stops_their_processes()
    {
        await using var scenario = await ScenarioAsync("kill", new RuntimeSettings { MaxChildrenPerOrchestration = 3 });

        var started = await scenario.StartAsync("kill_chunked");

        // Every iteration's process runs, so no launch is in flight when the kill comes.
        while (!scenario.Exists("pids.txt") || scenario.Lines("pids.txt").Length < 6)
        {
            await Task.Delay(20, scenario.Cancellation);
        }

        Assert.IsTrue(await scenario.KillAsync(started.AttemptId));

        var client = scenario.Runtime.Launcher.Client;
        var ids = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery(), scenario.Cancellation))
        {
            ids.Add(instance.InstanceId);
        }

        Assert.IsGreaterThan(1, ids.Count, "the loop runs in sub-orchestrations");
        Assert.AreEqual(OrchestrationRuntimeStatus.Terminated, (await client.WaitForInstanceCompletionAsync(started.AttemptId, cancellation: scenario.Cancellation)).RuntimeStatus);
        if (scenario.Runtime.TerminatesRecursively)
        {
            // The Durable Task test host terminates the named instance only: its chunks run on
            // (until their processes, stopped below, end). Recursive termination is checked on the embedded runtime.
            foreach (var id in ids)
            {
                Assert.AreEqual(OrchestrationRuntimeStatus.Terminated, (await client.WaitForInstanceCompletionAsync(id, cancellation: scenario.Cancellation)).RuntimeStatus, id);
            }
        }

        foreach (var pid in scenario.Lines("pids.txt").Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)))
        {
            await WaitUntilGoneAsync(pid, scenario.Cancellation);
        }

        var run = await scenario.ReadAsync(started.AttemptId);
        Assert.AreEqual(AttemptStatus.Killed, run.Attempt.Status, run.Describe());
        Assert.IsTrue(run.Tasks.All(t => t.State == TaskState.Canceled), run.Describe());
        Assert.AreEqual(6, run.Tasks.Count(t => t.TaskName.StartsWith("+kill_chunked+loop^sub+loop-", StringComparison.Ordinal)), run.Describe());
        Assert.IsFalse(scenario.Exists("never.txt"));
    }

    /// <summary>Waits until a process has exited (gone, or a zombie no one reaped yet).</summary>
    private static async Task WaitUntilGoneAsync(int pid, CancellationToken cancellationToken)
    {
        while (Directory.Exists($"/proc/{pid}") && !IsZombie(pid))
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true;
        }
    }
}
