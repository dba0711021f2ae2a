using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime.CrashHost;
using BatchOrchestrator.Runtime.Registration;
using BatchOrchestrator.Runtime.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchOrchestrator.Runtime.Tests.Crash;

[TestClass]
public sealed class CrashTests
{
    private const int Instances = 30;
    private const int Kills = 20;

    // On a loaded machine a host may run far past its kill point before the kill lands, and the
    // workflow can end early; this many kills must still have landed mid-run.
    private const int MinKills = 10;

    // The host's settings: activities in flight at a kill are at most the running ones plus
    // the results waiting for (or in) a commit batch.
    private const int Workers = 4;
    private const int CommitBatch = 8;
    private const int MaxInFlight = Workers + 2 * CommitBatch;

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task Killed_at_random_points_and_restarted_every_instance_completes_and_only_in_flight_activities_run_again()
    {
        using var directory = new TempDirectory();
        var database = directory.File("crash.db");
        var executions = directory.File("executions.txt");
        await File.WriteAllTextAsync(executions, "");
        var random = new Random(20240611);
        var killedPids = new HashSet<string>();

        // Kill after a random number of new activity executions, so kills land across the whole run.
        var finishedEarly = false;
        while (killedPids.Count < Kills && !finishedEarly)
        {
            var before = CountLines(executions);
            var target = before + random.Next(1, 16);
            using var host = CrashHostProcess.Start(database, executions, Instances);
            var reached = WaitForLinesAsync(executions, target);
            if (await Task.WhenAny(reached, host.Done) == host.Done)
            {
                Assert.IsGreaterThanOrEqualTo(MinKills, killedPids.Count, $"The workflow finished after {killedPids.Count} kills; make it longer so that at least {MinKills} kills land mid-run.");
                finishedEarly = true;
                continue;
            }

            await host.KillAsync();
            killedPids.Add(host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using (var final = CrashHostProcess.Start(database, executions, Instances))
        {
            Assert.AreEqual(0, await final.WaitForExitAsync(), "the last run completes every instance and exits");
        }

        await AssertOutputsAndHistoryAsync(database);
        AssertReExecutionsOnlyOfInFlightActivities(executions, killedPids);
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task Killed_after_an_activity_ended_and_before_its_result_was_committed_only_that_activity_runs_again()
    {
        using var directory = new TempDirectory();
        var database = directory.File("crash.db");
        var executions = directory.File("executions.txt");
        await File.WriteAllTextAsync(executions, "");
        const string Paused = "crash-0/3"; // the fourth activity of the instance's chain

        string killedPid;
        using (var host = CrashHostProcess.Start(database, executions, 1, Paused))
        {
            await Eventually.TrueAsync(() => Task.FromResult(File.Exists(executions + ".paused")), "the activity waiting before its end");

            // Our write lock on the database: the host cannot commit the activity's result, nor anything after it.
            await using var blocker = new SqliteConnection($"Data Source={database};Pooling=False");
            await blocker.OpenAsync();
            await using (var begin = blocker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }

            await File.WriteAllTextAsync(executions + ".go", "");
            await Eventually.TrueAsync(() => Task.FromResult(File.ReadAllLines(executions).Any(line => line.EndsWith(" " + Paused, StringComparison.Ordinal))), "the activity's end");
            await host.KillAsync();
            killedPid = host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.AreEqual(0L, await DatabaseProbe.CountAsync(database, "SELECT count(*) FROM history WHERE instance_id = 'crash-0' AND json_extract(event, '$.EventType') = 'TaskCompleted' AND json_extract(event, '$.TaskScheduledId') = 3"), "the result was not committed");
        Assert.AreEqual(1L, await DatabaseProbe.CountAsync(database, "SELECT count(*) FROM activity_queue WHERE instance_id = 'crash-0' AND task_id = 3"), "its work item is still there");
        Assert.AreEqual(3L, await DatabaseProbe.CountAsync(database, "SELECT count(*) FROM history WHERE instance_id = 'crash-0' AND json_extract(event, '$.EventType') = 'TaskCompleted'"), "the results before it were");

        File.Delete(executions + ".go");
        using (var final = CrashHostProcess.Start(database, executions, 1))
        {
            Assert.AreEqual(0, await final.WaitForExitAsync(), "the restarted host completes the instance");
        }

        await AssertOutputsAndHistoryAsync(database, 1);
        var runs = File.ReadAllLines(executions).Select(line => line.Split(' ')).GroupBy(parts => parts[1]).ToDictionary(g => g.Key, g => g.Select(parts => parts[0]).ToList());
        Assert.HasCount(CrashWorkflow.Chain + CrashWorkflow.FanOut + CrashWorkflow.ChildChain, runs, "every activity ran");
        CollectionAssert.AreEqual(new[] { killedPid }, runs[Paused].SkipLast(1).ToList(), $"{Paused} ran again after the kill, once");
        Assert.HasCount(2, runs[Paused]);
        foreach (var (key, pids) in runs.Where(r => r.Key != Paused))
        {
            Assert.HasCount(1, pids, $"{key} ran once");
        }
    }

    private static async Task AssertOutputsAndHistoryAsync(string database, int instances = Instances)
    {
        var registry = CrashWorkflow.Register(new OrchestrationRegistry(), _ => Assert.Fail("nothing is left to run"));
        await using var runtime = await DurableRuntime.StartAsync(new DurableRuntimeOptions { DatabasePath = database }, registry);
        for (var i = 0; i < instances; i++)
        {
            var instance = await runtime.Client.GetInstanceAsync($"crash-{i}", getInputsAndOutputs: true);
            Assert.AreEqual(OrchestrationRuntimeStatus.Completed, instance!.RuntimeStatus, instance.FailureDetails?.ToString());
            Assert.AreEqual(CrashWorkflow.Expected(i), instance.ReadOutputAs<long>(), $"output of crash-{i}");

            foreach (var id in new[] { $"crash-{i}", $"crash-{i}-child" })
            {
                // Every scheduled activity has exactly one result in history: none lost, none doubled.
                var history = await runtime.Client.GetHistoryAsync(id);
                var scheduled = history.Where(e => e.EventType == HistoryEventType.TaskScheduled).Select(e => e.EventId).Order().ToList();
                var completed = history.Where(e => e.EventType == HistoryEventType.TaskCompleted).Select(e => e.TaskScheduledId).Order().ToList();
                CollectionAssert.AreEqual(scheduled, completed, $"results in the history of {id}");
            }
        }
    }

    private static void AssertReExecutionsOnlyOfInFlightActivities(string executionsFile, HashSet<string> killedPids)
    {
        var runs = File.ReadAllLines(executionsFile)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 2 && parts[1].Contains('/', StringComparison.Ordinal))
            .Select(parts => (Pid: parts[0], Key: parts[1]))
            .ToList();
        var expectedActivities = Instances * (CrashWorkflow.Chain + CrashWorkflow.FanOut + CrashWorkflow.ChildChain);
        Assert.AreEqual(expectedActivities, runs.Select(r => r.Key).Distinct().Count(), "every activity ran");

        var repeatedPerKilledProcess = new Dictionary<string, int>();
        foreach (var group in runs.GroupBy(r => r.Key))
        {
            var pids = group.Select(r => r.Pid).ToList();
            Assert.AreEqual(pids.Count, pids.Distinct().Count(), $"{group.Key} ran twice in one process");
            foreach (var pid in pids.SkipLast(1))
            {
                // A run that was repeated must have been cut short by a kill...
                Assert.Contains(pid, killedPids, $"{group.Key} ran again although process {pid} was not killed");
                repeatedPerKilledProcess[pid] = repeatedPerKilledProcess.GetValueOrDefault(pid) + 1;
            }
        }

        Console.WriteLine($"{runs.Count} activity runs for {expectedActivities} activities; {repeatedPerKilledProcess.Values.Sum()} repeated after {killedPids.Count} kills");

        // ...and each kill can only lose the activities it had in flight.
        foreach (var (pid, repeated) in repeatedPerKilledProcess)
        {
            Assert.IsLessThanOrEqualTo(MaxInFlight, repeated, $"process {pid} lost {repeated} activity results");
        }
    }

    private static int CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var count = 0;
        int b;
        while ((b = stream.ReadByte()) != -1)
        {
            if (b == '\n')
            {
                count++;
            }
        }

        return count;
    }

    private static async Task WaitForLinesAsync(string path, int lines)
    {
        await Eventually.TrueAsync(() => Task.FromResult(CountLines(path) >= lines), $"{lines} activity executions");
    }
}
