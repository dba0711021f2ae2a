using System.Globalization;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Runtime;
using BatchOrchestrator.Runtime.CrashHost;
using BatchOrchestrator.Runtime.Registration;

// Usage: CrashHost <database> <executions-file> <instances>
// Schedules instances crash-0..crash-(n-1) unless they exist, runs until all are finished,
// then prints "DONE". Each activity execution is appended to the executions file as
// "<pid> <instance>/<task>" before it returns.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: CrashHost <database> <executions-file> <instances>");
    return 2;
}

var database = args[0];
var executionsFile = args[1];
var instances = int.Parse(args[2], CultureInfo.InvariantCulture);
var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
var writeLock = new Lock();

void Record(TaskActivityContext context)
{
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
