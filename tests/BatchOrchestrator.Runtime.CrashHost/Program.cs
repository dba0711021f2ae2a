using System.Globalization;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime;
using BatchOrchestrator.Runtime.CrashHost;
using BatchOrchestrator.Runtime.Registration;

// Usage: CrashHost <database> <executions-file> <instances> [<instance>/<task>]
// Schedules instances crash-0..crash-(n-1) unless they exist, runs until all are finished,
// then prints "DONE". Each activity execution is appended to the executions file as
// "<pid> <instance>/<task>" before it returns. The activity named by the optional last argument
// first creates "<executions-file>.paused" and waits for "<executions-file>.go" to exist, so a
// test can act (hold the database's write lock) before that activity ends.
if (args.Length is not (3 or 4))
{
    Console.Error.WriteLine("usage: CrashHost <database> <executions-file> <instances> [<instance>/<task>]");
    return 2;
}

var database = args[0];
var executionsFile = args[1];
var instances = int.Parse(args[2], CultureInfo.InvariantCulture);
var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
var pauseAt = args.Length == 4 ? args[3] : null;
var writeLock = new Lock();

void Record(TaskActivityContext context)
{
    if ($"{context.InstanceId}/{context.TaskId}" == pauseAt)
    {
        File.WriteAllText(executionsFile + ".paused", "");
        while (!File.Exists(executionsFile + ".go"))
        {
            Thread.Sleep(5); // a child process waiting on its test, which only creates a file
        }
    }

    lock (writeLock)
    {
        // One write per line with O_APPEND: whole lines survive a SIGKILL (the page cache outlives the process).
        File.AppendAllText(executionsFile, $"{pid} {context.InstanceId}/{context.TaskId}\n");
    }
}

var registry = CrashWorkflow.Register(new OrchestrationRegistry(), Record);
await using var runtime = await DurableRuntime.StartAsync(
    new DurableRuntimeOptions { DatabasePath = database, ActivityWorkers = 4, ActivityCommitBatch = 8, OrchestrationDispatchers = 2 },
    registry);

var ids = new List<string>();
for (var i = 0; i < instances; i++)
{
    var id = $"crash-{i}";
    ids.Add(id);
    try
    {
        await runtime.Client.ScheduleNewOrchestrationInstanceAsync(CrashWorkflow.Orchestrator, i, new StartOrchestrationOptions(id));
    }
    catch (OrchestrationAlreadyExistsException)
    {
        // Scheduled by an earlier, killed run: it resumes from the database.
    }
}

Console.WriteLine("STARTED");
foreach (var id in ids)
{
    await runtime.Client.WaitForInstanceCompletionAsync(id);
}

Console.WriteLine("DONE");
return 0;
