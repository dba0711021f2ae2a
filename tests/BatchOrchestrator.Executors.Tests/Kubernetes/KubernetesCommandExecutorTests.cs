using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Kubernetes.Jobs;
using BatchOrchestrator.Executors.Tests.Support;
using k8s;

namespace BatchOrchestrator.Executors.Tests.Kubernetes;

[TestClass]
public sealed class KubernetesCommandExecutorTests
{
    [TestMethod]
    public async Task A_script_runs_as_a_Job_its_log_and_output_come_back_and_the_Job_is_deleted()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = KubernetesHarness.Sh("echo hello\nsleep 0.1\necho world\nstore answer=42");

        var status = await k8s.RunAsync(request);

        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        Assert.AreEqual(0, status.ExitCode);
        Assert.AreEqual("answer=42\n", status.OutputText);
        Assert.AreEqual("hello\nworld\n", k8s.Logs.Text(request.Log));
        var name = JobName.For(request.AttemptId, request.TaskName, request.Try);
        Assert.AreEqual(1, k8s.Cluster.Creates);
        CollectionAssert.Contains(k8s.Cluster.Deletes, $"{name}:Background");
        Assert.IsNull(k8s.Cluster.Get("batch", name));
    }

    [TestMethod]
    public async Task The_Job_spec_carries_image_command_env_secrets_resources_placement_and_no_retries()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = KubernetesHarness.Sh("echo x", container: new
        {
            executor = "kubernetes",
            image = "fake/run",
            cpu = 2,
            memory = "4Gi",
            secrets = new[] { "etl-secrets" },
            @namespace = "etl",
            node_selector = new { agentpool = "batch" },
            tolerations = new[] { new { key = "dedicated", @operator = "Equal", value = "batch", effect = "NoSchedule" } },
            service_account = "etl-runner",
        }, timeout: TimeSpan.FromMinutes(30));

        await k8s.Executor.LaunchAsync(request, CancellationToken.None);

        var name = JobName.For(request.AttemptId, request.TaskName, request.Try);
        var job = JsonSerializer.SerializeToElement(k8s.Cluster.Get("etl", name));
        var spec = job.GetProperty("spec");
        Assert.AreEqual(0, spec.GetProperty("backoffLimit").GetInt32());
        Assert.AreEqual(1800, spec.GetProperty("activeDeadlineSeconds").GetInt32());
        Assert.IsTrue(spec.GetProperty("ttlSecondsAfterFinished").GetInt32() > 0);
        var rule = spec.GetProperty("podFailurePolicy").GetProperty("rules")[0];
        Assert.AreEqual("Ignore", rule.GetProperty("action").GetString());
        Assert.AreEqual("DisruptionTarget", rule.GetProperty("onPodConditions")[0].GetProperty("type").GetString());
        var pod = spec.GetProperty("template").GetProperty("spec");
        Assert.AreEqual("Never", pod.GetProperty("restartPolicy").GetString());
        Assert.AreEqual("etl-runner", pod.GetProperty("serviceAccountName").GetString());
        Assert.AreEqual("batch", pod.GetProperty("nodeSelector").GetProperty("agentpool").GetString());
        Assert.AreEqual("dedicated", pod.GetProperty("tolerations")[0].GetProperty("key").GetString());
        var container = pod.GetProperty("containers")[0];
        Assert.AreEqual("fake/run", container.GetProperty("image").GetString());
        var command = container.GetProperty("command").EnumerateArray().Select(e => e.GetString()).ToList();
        CollectionAssert.AreEqual(new[] { "/bin/sh", "-c", CommandWrapper.Script, "bo-task", "/bin/sh", "-c", "echo x" }, command);
        Assert.AreEqual("etl-secrets", container.GetProperty("envFrom")[0].GetProperty("secretRef").GetProperty("name").GetString());
        Assert.AreEqual("2", container.GetProperty("resources").GetProperty("requests").GetProperty("cpu").GetString());
        Assert.AreEqual("4Gi", container.GetProperty("resources").GetProperty("limits").GetProperty("memory").GetString());
        Assert.IsTrue(container.GetProperty("env").EnumerateArray().Any(e => e.GetProperty("name").GetString() == "GREETING" && e.GetProperty("value").GetString() == "hi"));
        var labels = job.GetProperty("metadata").GetProperty("labels");
        Assert.AreEqual("1", labels.GetProperty(JobLabels.TryLabel).GetString());
        Assert.AreEqual(request.TaskName, job.GetProperty("metadata").GetProperty("annotations").GetProperty(JobLabels.TaskNameAnnotation).GetString());
    }

    [TestMethod]
    public async Task Collecting_after_the_poll_that_read_the_finished_containers_whole_log_asks_the_server_nothing()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = KubernetesHarness.Sh("echo one\necho two");
        using var guard = new CancellationTokenSource(Eventually.Guard);
        var status = await k8s.Executor.LaunchAsync(request, guard.Token);
        while (!status.IsFinished)
        {
            await Task.Delay(status.PollAfter, guard.Token); // the executor's poll interval, as the orchestrator waits it
            status = await k8s.Executor.PollAsync(status.State, guard.Token);
        }

        var before = k8s.Server.Requests;
        await k8s.Executor.CollectLogsAsync(status.State, CancellationToken.None);

        Assert.AreEqual(before, k8s.Server.Requests);
        Assert.AreEqual("one\ntwo\n", k8s.Logs.Text(request.Log), "every line is in the task log already");
    }

    [TestMethod]
    public async Task A_launch_delivered_twice_adopts_the_Job_it_made()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = KubernetesHarness.Sh("echo once");

        var first = await k8s.Executor.LaunchAsync(request, CancellationToken.None);
        var second = await k8s.Executor.LaunchAsync(request, CancellationToken.None);

        Assert.AreEqual(1, k8s.Cluster.Creates);
        Assert.AreEqual(1, k8s.Cluster.Conflicts);
        Assert.AreEqual(first.State.Data.GetRawText(), second.State.Data.GetRawText());
    }

    [TestMethod]
    public async Task A_Job_of_the_same_name_made_for_something_else_is_not_adopted()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = KubernetesHarness.Sh("echo mine");
        var name = JobName.For(request.AttemptId, request.TaskName, request.Try);
        var foreign = JobManifest.Build(KubernetesHarness.Sh("echo other"), ContainerSettings.Read(request.Container), name, "batch", TimeSpan.FromHours(1)).Job;
        await k8s.Api.BatchV1.CreateNamespacedJobAsync(foreign, "batch");

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => k8s.Executor.LaunchAsync(request, CancellationToken.None));

        Assert.IsFalse(failure.Retryable);
        StringAssert.Contains(failure.Message, $"A Job named {name} already exists in namespace batch but was not made for this try");
        StringAssert.Contains(failure.Message, "kubectl delete job");
    }

    [TestMethod]
    public async Task A_failing_script_fails_with_the_Job_reason_the_exit_code_and_the_last_lines()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = KubernetesHarness.Sh("echo loading\necho oops: no such table\nexit 3");

        var status = await k8s.RunAsync(request);

        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        Assert.AreEqual(3, status.ExitCode);
        StringAssert.Contains(status.FailureMessage, "failed (BackoffLimitExceeded");
        StringAssert.Contains(status.FailureMessage, "exited with code 3");
        StringAssert.Contains(status.FailureMessage, "Last lines of output:\nloading\noops: no such table");
    }

    [TestMethod]
    public async Task An_image_that_does_not_pull_fails_the_task_in_time_with_the_reason_and_the_events()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = KubernetesHarness.Sh("echo never", image: "fake/missing:1.0");

        var status = await k8s.RunAsync(request);

        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        StringAssert.Contains(status.FailureMessage, "did not start");
        StringAssert.Contains(status.FailureMessage, "ImagePullBackOff: Back-off pulling image \"fake/missing:1.0\"");
        StringAssert.Contains(status.FailureMessage, "Events of the pod:");
        StringAssert.Contains(status.FailureMessage, "Warning Failed: Error: ErrImagePull");
        Assert.AreEqual("image_pull", status.StuckReason, "the bo.executor.stuck metric's reason");
        Assert.IsNull(k8s.Cluster.Get("batch", JobName.For(request.AttemptId, request.TaskName, request.Try)));
    }

    [TestMethod]
    public async Task A_missing_secret_fails_with_CreateContainerConfigError()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = KubernetesHarness.Sh("echo never", container: new { executor = "kubernetes", image = "fake/run", secrets = new[] { "etl-secrets" } });

        var status = await k8s.RunAsync(request);

        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        StringAssert.Contains(status.FailureMessage, "CreateContainerConfigError: secret \"etl-secrets\" not found");
        Assert.AreEqual("container_config", status.StuckReason);
    }

    [TestMethod]
    public async Task An_unschedulable_pod_fails_with_the_scheduler_message()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = KubernetesHarness.Sh("echo never", container: new { executor = "kubernetes", image = "fake/run", node_selector = new { fake = "none" } });

        var status = await k8s.RunAsync(request);

        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        StringAssert.Contains(status.FailureMessage, "Unschedulable: 0/3 nodes are available");
        StringAssert.Contains(status.FailureMessage, "Warning FailedScheduling");
        Assert.AreEqual("unschedulable", status.StuckReason);
    }

    [TestMethod]
    public async Task Watches_that_expire_with_410_or_are_closed_by_the_server_are_resumed_from_a_fresh_list()
    {
        await using var k8s = await KubernetesHarness.StartAsync(KubernetesHarness.FastOptions with { WatchWindow = TimeSpan.FromSeconds(5), PollInterval = TimeSpan.FromMilliseconds(1) });
        k8s.Cluster.ExpireNextWatches = 2;
        k8s.Cluster.CloseNextWatches = 2;
        var request = KubernetesHarness.Sh("echo start\nsleep 0.4\necho done");
        var polls = 0;

        var status = await k8s.RunAsync(request, _ => { polls++; return Task.CompletedTask; });

        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        Assert.IsTrue(k8s.Cluster.WatchRequests >= 5, $"watch requests: {k8s.Cluster.WatchRequests}");
        Assert.IsTrue(polls <= 2, $"one poll should see the Job through the broken watches; polls: {polls}");
        Assert.AreEqual("start\ndone\n", k8s.Logs.Text(request.Log));
    }

    [TestMethod]
    public async Task Logs_are_copied_while_the_pod_runs_each_line_once()
    {
        await using var k8s = await KubernetesHarness.StartAsync(KubernetesHarness.FastOptions with { WatchWindow = TimeSpan.FromMilliseconds(50) });
        var request = KubernetesHarness.Sh("echo one\necho two\nsleep 0.3\necho three\nsleep 0.3\necho four\necho five");
        var seenWhileRunning = new List<string>();

        var status = await k8s.RunAsync(request, s =>
        {
            if (!s.IsFinished)
            {
                seenWhileRunning.Add(k8s.Logs.Text(request.Log));
            }

            return Task.CompletedTask;
        });

        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        Assert.AreEqual("one\ntwo\nthree\nfour\nfive\n", k8s.Logs.Text(request.Log));
        Assert.IsTrue(seenWhileRunning.Contains("one\ntwo\nthree\n"), string.Join(" | ", seenWhileRunning));
    }

    [TestMethod]
    public async Task Log_copy_resumes_on_another_host_where_the_last_poll_stopped_asking_only_for_the_recent_lines()
    {
        var options = KubernetesHarness.FastOptions with { WatchWindow = TimeSpan.FromMilliseconds(50) };
        await using var k8s = await KubernetesHarness.StartAsync(options);
        var request = KubernetesHarness.Sh("echo one\necho two\nsleep 0.5\necho three\necho four");
        var status = await k8s.Executor.LaunchAsync(request, CancellationToken.None);
        await Eventually.TrueAsync(
            async () =>
            {
                status = await k8s.Executor.PollAsync(status.State, CancellationToken.None);
                return k8s.Logs.Text(request.Log) == "one\ntwo\n";
            },
            "the first two lines in the task log");
        var readsBefore = k8s.Server.LogQueries.Count;

        // The activity is retried on another host: a new client and executor, only the command state carried over.
        using var other = new KubernetesCommandExecutor(KubernetesClients.Create(new KubernetesConnection(k8s.Server.BaseUri)), k8s.Logs, options, ownsClient: true);
        while (!status.IsFinished)
        {
            await Task.Delay(status.PollAfter);
            status = await other.PollAsync(status.State, CancellationToken.None);
        }

        await other.CollectLogsAsync(status.State, CancellationToken.None);

        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        Assert.AreEqual("one\ntwo\nthree\nfour\n", k8s.Logs.Text(request.Log));
        var resumed = k8s.Server.LogQueries.Skip(readsBefore).ToList();
        Assert.IsNotEmpty(resumed);
        Assert.IsTrue(resumed.All(q => q.Contains("sinceSeconds=", StringComparison.Ordinal) && q.Contains("timestamps=true", StringComparison.Ordinal)), string.Join(" | ", resumed));
    }

    [TestMethod]
    public async Task Lines_copied_stay_when_the_Job_and_pod_go_away_and_the_try_is_reported_lost()
    {
        await using var k8s = await KubernetesHarness.StartAsync(KubernetesHarness.FastOptions with { WatchWindow = TimeSpan.FromMilliseconds(50) });
        var request = KubernetesHarness.Sh("echo before\nsleep 5\necho after");
        var launched = await k8s.Executor.LaunchAsync(request, CancellationToken.None);
        var status = launched;
        await Eventually.TrueAsync(
            async () =>
            {
                status = await k8s.Executor.PollAsync(status.State, CancellationToken.None);
                return k8s.Logs.Text(request.Log).Contains("before", StringComparison.Ordinal);
            },
            "the first line in the task log");

        k8s.Cluster.Delete("batch", JobName.For(request.AttemptId, request.TaskName, request.Try), "Background");
        status = await k8s.Executor.PollAsync(status.State, CancellationToken.None);

        Assert.AreEqual(CommandPhase.Lost, status.Phase);
        StringAssert.Contains(status.FailureMessage, "was deleted before it finished");
        Assert.AreEqual("before\n", k8s.Logs.Text(request.Log));
    }

    [TestMethod]
    public async Task The_task_timeout_is_the_Jobs_active_deadline()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = KubernetesHarness.Sh("echo working\nsleep 30", timeout: TimeSpan.FromSeconds(1));

        var status = await k8s.RunAsync(request);

        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        StringAssert.Contains(status.FailureMessage, "DeadlineExceeded: Job was active longer than specified deadline");
    }

    [TestMethod]
    public async Task A_finished_Job_nobody_cleans_up_is_removed_by_its_TTL()
    {
        await using var k8s = await KubernetesHarness.StartAsync(KubernetesHarness.FastOptions with { TtlAfterFinished = TimeSpan.FromSeconds(1) });
        var request = KubernetesHarness.Sh("echo quick");
        using var guard = new CancellationTokenSource(Eventually.Guard);
        var status = await k8s.Executor.LaunchAsync(request, guard.Token);
        while (!status.IsFinished)
        {
            status = await k8s.Executor.PollAsync(status.State, guard.Token);
        }

        var name = JobName.For(request.AttemptId, request.TaskName, request.Try);
        Assert.IsNotNull(k8s.Cluster.Get("batch", name), "not removed as it finishes");

        // Nothing cleans it up here: only the cluster's TTL can remove it.
        await Eventually.TrueAsync(() => k8s.Cluster.Get("batch", name) is null, "the finished Job to be removed by its TTL");
    }

    [TestMethod]
    public async Task Cancel_and_killing_the_attempt_delete_the_Jobs()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var one = KubernetesHarness.Sh("sleep 30");
        var launched = await k8s.Executor.LaunchAsync(one, CancellationToken.None);
        var other = KubernetesHarness.Sh("sleep 30") with { AttemptId = "attempt-killed" };
        await k8s.Executor.LaunchAsync(other, CancellationToken.None);

        await k8s.Executor.CancelAsync(launched.State, CancellationToken.None);
        var killed = await k8s.Executor.CancelAttemptAsync("attempt-killed", [], CancellationToken.None);

        Assert.IsNull(k8s.Cluster.Get("batch", JobName.For(one.AttemptId, one.TaskName, one.Try)));
        Assert.AreEqual(1, killed);
        Assert.IsNull(k8s.Cluster.Get("batch", JobName.For(other.AttemptId, other.TaskName, other.Try)));
        Assert.IsTrue(k8s.Cluster.Deletes.All(d => d.EndsWith(":Background", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Killing_the_attempt_deletes_its_Jobs_in_every_namespace_its_tries_used()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        const string attempt = "attempt-namespaces";
        var inHostNamespace = KubernetesHarness.Sh("sleep 30") with { AttemptId = attempt };
        var inEtl = KubernetesHarness.Sh("sleep 30", container: new { executor = "kubernetes", image = "fake/run", @namespace = "etl" }) with { AttemptId = attempt };
        var inReports = KubernetesHarness.Sh("sleep 30", container: new { executor = "kubernetes", image = "fake/run", @namespace = "reports" }) with { AttemptId = attempt };
        await k8s.Executor.LaunchAsync(inHostNamespace, CancellationToken.None);
        var launched = await k8s.Executor.LaunchAsync(inEtl, CancellationToken.None);
        await k8s.Executor.LaunchAsync(inReports, CancellationToken.None);

        // What the engine knows of the tries: one with its state, one whose launch never wrote its
        // state (only its container settings), and the host's default namespace's one.
        StartedTry[] tries =
        [
            new() { AttemptId = attempt, TaskName = inEtl.TaskName, Try = 1, Executor = "kubernetes", Container = inEtl.Container, Command = launched.State },
            new() { AttemptId = attempt, TaskName = inReports.TaskName, Try = 1, Executor = "kubernetes", Container = inReports.Container },
            new() { AttemptId = attempt, TaskName = inHostNamespace.TaskName, Try = 1, Executor = "kubernetes", Container = inHostNamespace.Container },
        ];
        var killed = await k8s.Executor.CancelAttemptAsync(attempt, tries, CancellationToken.None);

        Assert.AreEqual(3, killed);
        Assert.IsNull(k8s.Cluster.Get("batch", JobName.For(attempt, inHostNamespace.TaskName, 1)));
        Assert.IsNull(k8s.Cluster.Get("etl", JobName.For(attempt, inEtl.TaskName, 1)), "the Job in the namespace of the try's state");
        Assert.IsNull(k8s.Cluster.Get("reports", JobName.For(attempt, inReports.TaskName, 1)), "the Job in the namespace of the try's container settings");
    }
}
