using System.Text.Json;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Executors.Hosting;
using BatchOrchestrator.Executors.Kubernetes;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using BatchOrchestrator.Executors.Tests.Support;
using BatchOrchestrator.Server.Local;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Executors.Tests.Kubernetes;

/// <summary>Whole workflows through the local engine, with <c>container: {executor: kubernetes}</c> tasks running on the fake cluster.</summary>
[TestClass]
public sealed class KubernetesWorkflowTests
{
    private static readonly DateTimeOffset SessionTime = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task A_workflow_runs_its_sh_tasks_as_Jobs_and_passes_stored_params_on()
    {
        await using var server = await FakeKubernetesServer.StartAsync();
        using var folder = new TempFolder();
        var project = Project(folder, """
            _export:
              container:
                executor: kubernetes
                image: fake/run
            +extract:
              sh>: |
                echo extracting
                store rows=1234
            +load:
              sh>: |
                echo loading ${rows} rows
            """);
        await using var engine = await StartEngineAsync(project, server);

        var (outcome, tasks, attempt) = await RunAsync(engine, project);

        Assert.IsTrue(outcome.Succeeded, string.Join("; ", outcome.Errors.Select(e => $"{e.TaskName}: {e.Message}")));
        Assert.AreEqual(2, server.Cluster.Creates);
        var load = tasks.Single(t => t.TaskName == "+wf+load");
        var log = await File.ReadAllTextAsync(Path.Combine(project, ".bo", "logs", load.LogReference!));
        Assert.AreEqual("loading 1234 rows\n", log);
        Assert.IsTrue(attempt.Length > 0);
    }

    [TestMethod]
    public async Task A_launch_whose_answer_was_lost_with_its_host_is_adopted_after_restart_not_created_twice()
    {
        await using var server = await FakeKubernetesServer.StartAsync();
        using var folder = new TempFolder();
        var project = Project(folder, """
            +heavy:
              sh>: |
                echo crunching
                store done=yes
              container:
                executor: kubernetes
                image: fake/run
            +after:
              sh>: echo after ${done}
              container:
                executor: kubernetes
                image: fake/run
            """);
        var created = new TaskCompletionSource();
        server.BeforeCreateAnswer = async ct =>
        {
            // The Job is stored; the answer never reaches the engine, which is stopped now.
            created.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        };
        var first = await StartEngineAsync(project, server);
        var started = await first.StartAsync(Request(project), CancellationToken.None);
        await created.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await first.DisposeAsync();
        server.BeforeCreateAnswer = null;

        await using var second = await StartEngineAsync(project, server);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var outcome = await second.WaitAsync(started.AttemptId, guard.Token);

        Assert.IsTrue(outcome.Succeeded, string.Join("; ", outcome.Errors.Select(e => $"{e.TaskName}: {e.Message}")));
        Assert.AreEqual(2, server.Cluster.Creates, "one Job per task: the heavy one was adopted, not created again");
        Assert.IsTrue(server.Cluster.Conflicts >= 1, "the re-delivered launch met 409 AlreadyExists");
    }

    [TestMethod]
    public async Task A_secret_in_a_Jobs_env_is_masked_in_the_log_and_never_written_into_the_Job()
    {
        const string token = "k8s-secret-4f3e2d1c";
        await using var server = await FakeKubernetesServer.StartAsync();
        using var folder = new TempFolder();
        var project = Project(folder, """
            +call:
              _env:
                API_TOKEN: ${secret:api.token}
              sh>: |
                echo calling with $API_TOKEN
              container: {executor: kubernetes, image: fake/run}
            """);
        await using var engine = await StartEngineAsync(project, server);
        await engine.Secrets.SetAsync("proj", "api.token", token, CancellationToken.None);

        var (outcome, tasks, _) = await RunAsync(engine, project);

        Assert.IsTrue(outcome.Succeeded, string.Join("; ", outcome.Errors.Select(e => $"{e.TaskName}: {e.Message}")));
        var call = tasks.Single(t => t.TaskName == "+wf+call");
        Assert.AreEqual("calling with ***\n", await File.ReadAllTextAsync(Path.Combine(project, ".bo", "logs", call.LogReference!)), "the pod saw the value; the log masks it");
        Assert.AreEqual(1, server.Cluster.JobBodies.Count);
        Assert.DoesNotContain(token, server.Cluster.JobBodies[0]);
        Assert.IsEmpty(server.Cluster.SecretNames("batch"), "the try's Secret is deleted at cleanup");
    }

    [TestMethod]
    public async Task A_host_configured_by_environment_and_kubeconfig_runs_kubernetes_tasks_over_TLS()
    {
        using var certificates = new TestCertificates();
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = "host-token", ServerCertificate = certificates.Server });
        using var folder = new TempFolder();
        var kubeconfig = await FakeKubeconfig.WriteAsync(Path.Combine(folder.Path, "kubeconfig"), server, certificates, "host-token", "batch");
        var executors = await ExecutorConfiguration.ReadAsync(
            new Dictionary<string, string> { ["BO_KUBERNETES_CONTEXT"] = "fake", ["KUBECONFIG"] = kubeconfig },
            new ExecutorConfigurationOptions { Kubernetes = KubernetesHarness.FastOptions, ServiceAccountFolder = "/nonexistent" },
            CancellationToken.None);
        var project = Project(folder, """
            +heavy:
              sh>: echo in the cluster
              container: {executor: kubernetes, image: fake/run}
            """);
        await using var engine = await LocalEngine.StartAsync(
            new LocalEngineOptions(Path.Combine(project, ".bo"))
            {
                ActivityWorkers = 4,
                SecretKey = new SecretKeySource(null, Path.Combine(project, "..", "secrets.key")),
                ExtraExecutors = executors,
            },
            CancellationToken.None);

        var (outcome, tasks, _) = await RunAsync(engine, project);

        Assert.IsTrue(outcome.Succeeded, string.Join("; ", outcome.Errors.Select(e => $"{e.TaskName}: {e.Message}")));
        Assert.AreEqual(1, server.Cluster.Creates);
        var heavy = tasks.Single(t => t.TaskName == "+wf+heavy");
        Assert.AreEqual("in the cluster\n", await File.ReadAllTextAsync(Path.Combine(project, ".bo", "logs", heavy.LogReference!)));
    }

    private static string Project(TempFolder folder, string workflow)
    {
        var project = Path.Combine(folder.Path, "proj");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "wf.dig"), workflow);
        return project;
    }

    private static AttemptRequest Request(string project) => new()
    {
        ProjectDirectory = project,
        WorkflowName = "wf",
        SessionTime = SessionTime,
        SessionParams = JsonSerializer.SerializeToElement(new { }),
    };

    private static Task<LocalEngine> StartEngineAsync(string project, FakeKubernetesServer server) =>
        LocalEngine.StartAsync(
            new LocalEngineOptions(Path.Combine(project, ".bo"))
            {
                ActivityWorkers = 4,
                SecretKey = new SecretKeySource(null, Path.Combine(project, "..", "secrets.key")),
                ExtraExecutors = [logs => new KubernetesCommandExecutor(KubernetesClients.Create(new KubernetesConnection(server.BaseUri)), logs, KubernetesHarness.FastOptions, ownsClient: true)],
            },
            CancellationToken.None);

    private static async Task<(AttemptOutcome Outcome, IReadOnlyList<TaskRecord> Tasks, string AttemptId)> RunAsync(LocalEngine engine, string project)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var started = await engine.StartAsync(Request(project), guard.Token);
        var outcome = await engine.WaitAsync(started.AttemptId, guard.Token);
        return (outcome, await engine.Runs.GetTasksAsync(started.AttemptId, guard.Token), started.AttemptId);
    }
}
