using System.Text;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Hosting;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Tests.Support.Orchestration;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Executors.Local;
using BatchOrchestrator.Language.BuiltIns;
using BatchOrchestrator.Storage.Files;
using BatchOrchestrator.Storage.Sqlite;

namespace BatchOrchestrator.Engine.Tests.Workflows.Execution;

/// <summary>
/// The built-in variables a <c>sh&gt;</c> command sees travel once per orchestration, not in
/// every launch input (history, work items); the command's environment is the same either way,
/// and a host that was never sent them asks for them instead of running without them.
/// </summary>
[TestClass]
public sealed class SharedEnvironmentTests
{
    private const string ThreeTasks = """
        timezone: Asia/Tokyo
        +a:
          sh>: env > env-a.txt
        +b:
          sh>: env > env-b.txt
        +c:
          sh>: env > env-c.txt
        """;

    [TestMethod]
    public async Task Every_sh_task_sees_every_built_in_though_only_the_first_launch_carries_them()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("w.dig", ThreeTasks);

        var run = await project.RunAsync("w");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var a = Variables(project.Read("env-a.txt"));
        var b = Variables(project.Read("env-b.txt"));
        var c = Variables(project.Read("env-c.txt"));
        var builtIns = a.Keys.Where(BuiltInVariables.IsBuiltIn).Order(StringComparer.Ordinal).ToList();
        Assert.HasCount(23, builtIns, string.Join(", ", builtIns));
        foreach (var other in new[] { b, c })
        {
            CollectionAssert.AreEquivalent(a.Keys.ToList(), other.Keys.ToList(), "the same variables in every task");
            foreach (var name in builtIns.Where(n => n != "task_name"))
            {
                Assert.AreEqual(a[name], other[name], name);
            }
        }

        Assert.AreEqual("2026-11-21T09:00:00+09:00", c["session_time"]);
        Assert.AreEqual("Asia/Tokyo", c["timezone"]);
        Assert.AreEqual("w", c["workflow_name"]);
        Assert.AreEqual("+w+c", c["task_name"]);
        Assert.AreEqual("1", c["BO_TRY"]);

        var launches = await LaunchPayloadsAsync(project);
        Assert.HasCount(3, launches);
        Assert.Contains("\"session_time\"", launches[0], "the first launch carries the shared variables");
        foreach (var later in launches.Skip(1))
        {
            foreach (var name in builtIns.Where(n => n != "task_name"))
            {
                Assert.DoesNotContain($"\"{name}\"", later, "later launches name the shared variables by key only");
            }
        }
    }

    [TestMethod]
    public async Task A_launch_input_is_the_same_size_however_many_built_ins_the_attempt_has()
    {
        // A schedule adds twelve built-ins (last_session_*, next_session_*).
        var plain = await LaunchPayloadsOfAsync(ThreeTasks);
        var scheduled = await LaunchPayloadsOfAsync("schedule:\n  daily>: 07:00:00\n" + ThreeTasks);

        Assert.IsGreaterThan(Encoding.UTF8.GetByteCount(plain[0]), Encoding.UTF8.GetByteCount(scheduled[0]), "the first launch carries the built-ins");
        CollectionAssert.AreEqual(
            plain.Skip(1).Select(WithoutCarriedWrites).ToList(),
            scheduled.Skip(1).Select(WithoutCarriedWrites).ToList(),
            "later launches do not grow with the built-ins");
    }

    [TestMethod]
    public void The_orchestrator_sends_the_shared_variables_again_to_a_host_that_does_not_know_them()
    {
        var harness = new WorkflowHarness().On<LaunchCommandInput, CommandStatus>(
            ActivityNames.LaunchCommand,
            input => input.Shared is { Variables: null }
                ? WorkflowHarness.Status(CommandPhase.Pending) with { SharedEnvironmentUnknown = true }
                : WorkflowHarness.Succeeded());

        var outcome = harness.Run("w", "+a:\n  sh>: a\n+b:\n  sh>: b\n");

        Assert.IsTrue(outcome.Succeeded);
        var launches = harness.Fake.Activities(ActivityNames.LaunchCommand).Select(c => c.InputAs<LaunchCommandInput>()).ToList();
        CollectionAssert.AreEqual(new[] { "+w+a", "+w+b", "+w+b" }, launches.Select(l => l.Command.TaskName).ToList());
        Assert.IsNull(launches[1].Shared!.Variables);
        Assert.AreEqual(launches[0].Shared, launches[2].Shared, "the same key and variables the first launch had");
        Assert.IsTrue(launches[2].Shared!.Variables!.ContainsKey("session_time"));
        Assert.AreEqual(1, harness.Task("+w+b").Tries, "asking again is not a try");
    }

    [TestMethod]
    public void A_task_whose_env_sets_a_built_in_sends_its_own_set_and_the_next_task_names_the_first_again()
    {
        var harness = new WorkflowHarness().On<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, _ => WorkflowHarness.Succeeded());

        var outcome = harness.Run("w", "+a:\n  sh>: a\n+b:\n  sh>: b\n  _env:\n    session_date: changed\n+c:\n  sh>: c\n");

        Assert.IsTrue(outcome.Succeeded);
        var launches = harness.Fake.Activities(ActivityNames.LaunchCommand).Select(c => c.InputAs<LaunchCommandInput>()).ToList();
        Assert.HasCount(3, launches);
        var first = launches[0].Shared!;
        var second = launches[1].Shared!;
        Assert.AreNotEqual(first.Key, second.Key, "a different set has a different key");
        Assert.AreEqual("changed", second.Variables!["session_date"], "the changed set travels in full");
        Assert.AreEqual(first.Variables!["session_time"], second.Variables["session_time"]);
        Assert.AreEqual(first.Key, launches[2].Shared!.Key, "the first set again");
        Assert.IsNull(launches[2].Shared!.Variables, "already sent: named by key only");
    }

    [TestMethod]
    public async Task A_host_not_sent_the_shared_variables_starts_nothing_and_one_that_restarted_reads_them_from_the_run_store()
    {
        var folder = Directory.CreateTempSubdirectory("bo-shared-env-");
        var logs = new FileLogStore(Path.Combine(folder.FullName, "logs"));
        await using var runs = await SqliteRunStore.OpenAsync(Path.Combine(folder.FullName, "runs.db"), CancellationToken.None);
        await using var parameters = SqliteParamStore.OnFirstUse(Path.Combine(folder.FullName, "params.db"));
        EngineParts Host() => EngineBuilder.Build(new EngineOptions
        {
            Logs = logs,
            Runs = runs,
            Params = parameters,
            Revisions = new Storage.Files.FileProjectRevisionStore(Path.Combine(folder.FullName, "revisions")),
            Executors = [masked => new LocalCommandExecutor(masked, new LocalExecutorOptions { TaskRoot = Path.Combine(folder.FullName, "tasks") })],
            Operators = EngineBuilder.Operators([]),
        });
        var engine = Host();
        var shared = new SharedEnvironment("k1", new Dictionary<string, string> { ["session_date"] = "2026-11-21" });
        LaunchCommandInput Launch(string task) => new(LocalCommandExecutor.ExecutorName, new CommandRequest
        {
            AttemptId = "a1",
            TaskName = task,
            Command = ["/bin/sh", "-c", $"echo \"$session_date\" > {task}.txt"],
            WorkingDirectory = folder.FullName,
            Log = new TaskLogKey("p", "w", "2026-11-21T00:00:00Z", "attempt-1", task, 0),
        });

        var unknown = await engine.Activities.LaunchCommandAsync(Launch("first") with { Shared = shared with { Variables = null } }, CancellationToken.None);
        var sent = await engine.Activities.LaunchCommandAsync(Launch("second") with { Shared = shared }, CancellationToken.None);
        var named = await engine.Activities.LaunchCommandAsync(Launch("third") with { Shared = shared with { Variables = null } }, CancellationToken.None);

        // A host that restarted (new parts, same run store) finds them saved there.
        var restarted = await Host().Activities.LaunchCommandAsync(Launch("fourth") with { Shared = shared with { Variables = null } }, CancellationToken.None);

        Assert.IsTrue(unknown.SharedEnvironmentUnknown);
        Assert.IsFalse(File.Exists(Path.Combine(folder.FullName, "first.txt")));
        Assert.IsFalse((await runs.GetStartedTriesAsync("a1", CancellationToken.None)).Any(t => t.TaskName == "first"), "nothing recorded as started");
        Assert.AreEqual(CommandPhase.Succeeded, sent.Phase);
        Assert.AreEqual(CommandPhase.Succeeded, named.Phase);
        Assert.AreEqual("2026-11-21", File.ReadAllText(Path.Combine(folder.FullName, "second.txt")).Trim());
        Assert.AreEqual("2026-11-21", File.ReadAllText(Path.Combine(folder.FullName, "third.txt")).Trim());
        Assert.AreEqual(CommandPhase.Succeeded, restarted.Phase);
        Assert.AreEqual("2026-11-21", File.ReadAllText(Path.Combine(folder.FullName, "fourth.txt")).Trim());
        folder.Delete(recursive: true);
    }

    /// <summary>The size of a launch input without the records it carries (their times vary from run to run).</summary>
    private static int WithoutCarriedWrites(string payload)
    {
        var input = System.Text.Json.Nodes.JsonNode.Parse(payload)!.AsObject();
        input.Remove("writes");
        input.Remove("readyAt");
        return Encoding.UTF8.GetByteCount(input.ToJsonString());
    }

    private static Dictionary<string, string> Variables(string env) =>
        env.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Contains('=', StringComparison.Ordinal))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

    private static async Task<List<string>> LaunchPayloadsOfAsync(string workflow)
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("w.dig", workflow);
        var run = await project.RunAsync("w");
        Assert.IsTrue(run.Succeeded, run.Describe());
        return await LaunchPayloadsAsync(project);
    }

    /// <summary>The serialized inputs of the LaunchCommand calls, as history stores them, in order.</summary>
    private static async Task<List<string>> LaunchPayloadsAsync(WorkflowProject project)
    {
        var client = project.Engine!.Client;
        var payloads = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            payloads.AddRange((await client.GetHistoryAsync(instance.InstanceId))
                .Where(e => e.Name == ActivityNames.LaunchCommand && e.EventType == HistoryEventType.TaskScheduled)
                .Select(e => e.Payload ?? string.Empty));
        }

        return payloads;
    }
}
