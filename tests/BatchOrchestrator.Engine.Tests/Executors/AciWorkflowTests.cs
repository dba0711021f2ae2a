using System.Diagnostics;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Executors.Aci;
using BatchOrchestrator.Executors.Tests.Aci;

namespace BatchOrchestrator.Engine.Tests.Executors;

/// <summary>
/// Workflows with <c>container: {executor: aci}</c>, run as <c>bo run</c> runs them, against the
/// fake ARM. The fake's "container" is this machine's <c>/bin/sh</c> running the group's
/// command with the group's environment, so the wrapper, files and <c>$BO_OUTPUT</c> are real.
/// </summary>
[TestClass]
public sealed class AciWorkflowTests
{
    [TestMethod]
    public async Task Sh_and_py_tasks_run_in_container_groups_with_logs_params_and_cleanup()
    {
        using var http = new HttpClient(Arm);
        await using var project = await StartAsync(http);
        project.Write("aci.dig", """
            _export:
              container:
                executor: aci
                image: myacr.azurecr.io/etl:1.4
                cpu: 2
                memory: 4Gi
            +collect:
              sh>: echo "collecting for ${session_date}"; echo "rows=42" > "$BO_OUTPUT"
            +report:
              py>: tasks.report
            +after:
              sh>: echo "rows were ${rows}"
            """);
        project.Write("tasks.py", """
            def report():
                print("reporting")
            """);

        var run = await project.RunAsync("aci");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("collecting for 2026-11-21\n", await project.LogAsync(run, "+aci+collect"));
        Assert.AreEqual("rows were 42\n", await project.LogAsync(run, "+aci+after"));
        Assert.AreEqual(3, Arm.Count("PUT"), "one group per task try");
        Assert.IsEmpty(Arm.GroupNames, "every group is deleted after its logs are collected");
    }

    [TestMethod]
    public async Task A_failing_container_fails_the_task_with_its_exit_code_and_last_lines()
    {
        using var http = new HttpClient(Arm);
        await using var project = await StartAsync(http);
        project.Write("bad.dig", """
            +bad:
              _export:
                container: {executor: aci, image: myacr.azurecr.io/etl:1.4}
              sh>: echo "quota exceeded"; exit 3
            """);

        var run = await project.RunAsync("bad");

        Assert.IsFalse(run.Succeeded);
        var error = run.Outcome.Errors.Single();
        Assert.Contains("exit code 3", error.Message);
        Assert.Contains("quota exceeded", error.Message);
        Assert.IsEmpty(Arm.GroupNames);
    }

    [TestMethod]
    public async Task A_launch_whose_answer_was_lost_with_its_host_is_adopted_after_restart_not_created_twice()
    {
        using var http = new HttpClient(Arm);
        await using var project = await StartAsync(http);
        project.Write("heavy.dig", """
            _export:
              container: {executor: aci, image: myacr.azurecr.io/etl:1.4}
            +heavy:
              sh>: echo crunching; echo "done=yes" > "$BO_OUTPUT"
            +after:
              sh>: echo "after ${done}"
            """);
        var created = new TaskCompletionSource();
        Arm.BeforePutAnswer = async ct =>
        {
            // The group is stored; the answer never reaches the engine, which is stopped now.
            created.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        };
        var started = await project.StartAsync("heavy");
        await created.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.AreEqual(0, Arm.Count("GET", "/logs"), "no poll before the host stopped");
        var heavyGroup = Arm.GroupNames.Single();

        Arm.BeforePutAnswer = null;
        await project.RestartAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var run = await project.WaitAsync(started.AttemptId, guard.Token);

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(1, Arm.Calls.Count(c => c == $"PUT {GroupPath(heavyGroup)}"), "the heavy group was adopted after the restart, not created again");
        Assert.AreEqual(2, Arm.Count("PUT"), "one group per task");
        Assert.AreEqual("crunching\n", await project.LogAsync(run, "+heavy+heavy"));
        Assert.AreEqual("after yes\n", await project.LogAsync(run, "+heavy+after"));
        Assert.AreEqual(1, run.Task("+heavy+heavy").Tries, "the same try, not a retry");
        Assert.IsEmpty(Arm.GroupNames);
    }

    private static string GroupPath(string name) =>
        $"/subscriptions/{FakeArm.Subscription}/resourceGroups/{FakeArm.ResourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/{name}";

    private FakeArm Arm { get; } = new();

    /// <summary>A project whose aci tasks run in the fake, in an "image" whose working directory holds the project's files.</summary>
    private async Task<WorkflowProject> StartAsync(HttpClient http)
    {
        var project = await WorkflowProject.StartAsync(extraExecutors: [logs =>
        {
            var clientOptions = new ArmClientOptions { Transport = new HttpClientTransport(http) };
            var options = new AciExecutorOptions
            {
                SubscriptionId = FakeArm.Subscription,
                ResourceGroup = FakeArm.ResourceGroup,
                Location = "japaneast",
                PollInterval = TimeSpan.FromMilliseconds(50),
            };
            return new AciCommandExecutor(logs, new FakeCredential(), options, clientOptions);
        }]);
        Arm.OnGet = group => RunAsContainer(group, project.Directory_);
        return project;
    }

    /// <summary>The first read of a new group "runs" it; the next one sees it finished.</summary>
    private static void RunAsContainer(FakeArmGroup group, string workingDirectory)
    {
        lock (group)
        {
            if (group.ContainerState == "Waiting")
            {
                var (exitCode, output) = Run(group.Definition, workingDirectory);
                group.Start();
                group.Write(output);
                group.Tag = exitCode;
            }
            else if (group.ContainerState == "Running")
            {
                group.Exit((int)group.Tag!);
            }
        }
    }

    private static (int ExitCode, string Output) Run(JsonObject definition, string workingDirectory)
    {
        var container = definition["properties"]!["containers"]![0]!["properties"]!;
        var command = container["command"]!.AsArray().Select(c => (string)c!).ToList();
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in container["environmentVariables"]!.AsArray())
        {
            start.Environment[(string)variable!["name"]!] = (string?)variable["value"] ?? (string?)variable["secureValue"];
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
