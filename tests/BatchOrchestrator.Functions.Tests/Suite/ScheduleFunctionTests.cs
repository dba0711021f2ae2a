using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Functions.Functions;
using BatchOrchestrator.Functions.Tests.Harness;
using BatchOrchestrator.Server.Tests.Support;
using BatchOrchestrator.Storage.Blob;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Functions.Tests.Suite;

/// <summary>
/// The schedule timer (<c>ScheduleTick</c>) on two instances of the app, as a scaled-out Function
/// app runs it: two compositions, each with its own state folder and clock, sharing what instances
/// share on Azure — the task hub (one test host) and the stores in Blob storage (a real Azurite):
/// run records and schedule cursors, pushed projects, logs, params.
/// <para>
/// How it is called: the function method, with a <c>TimerInfo</c>, the Durable extension's client
/// binding and a cancellation token (<see cref="FunctionCalls"/>); the Functions host's timer
/// (its schedule and its singleton lease) cannot run here. Each instance's clock is set before
/// its tick, so the test chooses the "now" every tick sees. The sessions start on the task hub and
/// run on the test host's worker (which runs the functions with the first instance's services).
/// </para>
/// </summary>
[TestClass]
public sealed class ScheduleFunctionTests
{
    private const string Workflow = """
        timezone: UTC

        schedule:
          hourly>: 00:00

        +hello:
          sh>: echo "hourly session ${session_time}"
        """;

    private static readonly DateTimeOffset Day = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task Two_instances_ticking_interleaved_and_at_once_start_each_due_session_once_and_each_runs_to_success()
    {
        var root = Directory.CreateTempSubdirectory("bo-schedule-").FullName;
        try
        {
            await TwoInstancesTickAsync(root);
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is not worth failing a test over.
            }
        }
    }

    private static async Task TwoInstancesTickAsync(string root)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var cancellation = guard.Token;
        var clockA = new ManualClock(At(10, 10));
        var clockB = new ManualClock(At(10, 10));
        await using var runtime = await DurableTaskRuntime.StartAsync(
            Path.Combine(root, "a"),
            new RuntimeSettings { AppSettings = await SharedStoresAsync(), Clock = clockA },
            cancellation);
        var a = new FunctionCalls(runtime.FirstInstance, runtime.SidecarPort);
        var b = new FunctionCalls(await runtime.StartInstanceAsync(Path.Combine(root, "b", "state"), clockB, cancellation), runtime.SidecarPort);

        async Task TickAsync(FunctionCalls instance, ManualClock clock, DateTimeOffset now)
        {
            clock.Now = now;
            await instance.TimerAsync<ScheduleFunction>((function, timer, client, token) => function.Run(timer, client, token), cancellation);
        }

        async Task<List<string>> StartedAsync()
        {
            var ids = new List<string>();
            await foreach (var instance in runtime.Launcher.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 100 }, cancellation))
            {
                if (instance.Name == ActivityNames.WorkflowOrchestrator)
                {
                    ids.Add(instance.InstanceId);
                }
            }

            return [.. ids.Order(StringComparer.Ordinal)];
        }

        // The project is pushed through instance A; B serves it from Blob storage.
        var pushed = await a.HttpAsync<ApiFunction>("PUT", "/api/projects/hourly", (f, request, client, _) => f.Api(request, client), new HttpBody(ProjectArchives.TarGz(("hourly.dig", Workflow)), "application/gzip"), cancellation);
        Assert.AreEqual(201, pushed.Status, pushed.ToString());
        var scheduleOnB = await b.HttpAsync<ApiFunction>("GET", "/api/schedules/hourly/hourly", (f, request, client, _) => f.Api(request, client), null, cancellation);
        Assert.AreEqual(200, scheduleOnB.Status, scheduleOnB.ToString());

        // First sight, on both at once: the schedule starts from now, nothing is due.
        await Task.WhenAll(TickAsync(a, clockA, At(10, 10)), TickAsync(b, clockB, At(10, 10, 5)));
        Assert.IsEmpty(await StartedAsync());

        // The same tick on both instances at once.
        await Task.WhenAll(TickAsync(a, clockA, At(11, 0)), TickAsync(b, clockB, At(11, 0)));
        CollectionAssert.AreEqual(Sessions(11), await StartedAsync());

        // Repeated ticks after it, on one instance and then the other.
        await TickAsync(b, clockB, At(11, 0, 30));
        await TickAsync(a, clockA, At(11, 1));
        CollectionAssert.AreEqual(Sessions(11), await StartedAsync());

        // A's clock reaches noon first; B's, ten seconds behind, then catches up.
        await TickAsync(a, clockA, At(12, 0));
        await TickAsync(b, clockB, At(11, 59, 50));
        await TickAsync(b, clockB, At(12, 0, 10));
        CollectionAssert.AreEqual(Sessions(11, 12), await StartedAsync());

        // B's clock five seconds ahead, both at once.
        await Task.WhenAll(TickAsync(a, clockA, At(13, 0)), TickAsync(b, clockB, At(13, 0, 5)));
        CollectionAssert.AreEqual(Sessions(11, 12, 13), await StartedAsync());

        // Three hours without a tick (the app was stopped), then both at once, twice: every missed session once.
        await Task.WhenAll(TickAsync(a, clockA, At(16, 30)), TickAsync(b, clockB, At(16, 30)));
        await Task.WhenAll(TickAsync(a, clockA, At(16, 30, 20)), TickAsync(b, clockB, At(16, 30, 20)));
        var started = await StartedAsync();
        CollectionAssert.AreEqual(Sessions(11, 12, 13, 14, 15, 16), started);

        foreach (var attemptId in started)
        {
            var outcome = await runtime.Launcher.WaitAsync(attemptId, cancellation);
            Assert.IsTrue(outcome.Succeeded, $"{attemptId}: {string.Join("; ", outcome.Errors.Select(e => $"{e.TaskName}: {e.Message}"))}");
        }

        // The shared records, read through instance B: each session has one attempt, and it succeeded.
        var runs = b.Services.GetRequiredService<IRunStore>();
        var sessions = (await runs.ListSessionsAsync(new SessionQuery { Project = "hourly", Workflow = "hourly" }, cancellation)).Items;
        CollectionAssert.AreEquivalent(new[] { 11, 12, 13, 14, 15, 16 }.Select(h => At(h, 0)).ToArray(), sessions.Select(s => s.SessionTime).ToArray());
        foreach (var session in sessions)
        {
            var attempts = await runs.GetAttemptsAsync(session.SessionId, cancellation);
            Assert.HasCount(1, attempts, session.SessionId);
            Assert.AreEqual(AttemptStatus.Success, attempts[0].Status, attempts[0].AttemptId);
            var tasks = await runs.GetTasksAsync(attempts[0].AttemptId, cancellation);
            Assert.IsTrue(tasks.Single(t => t.TaskName == "+hourly+hello") is { State: TaskState.Success, Tries: 1 }, attempts[0].AttemptId);
        }

        var schedule = await b.HttpAsync<ApiFunction>("GET", "/api/schedules/hourly/hourly", (f, request, client, _) => f.Api(request, client), null, cancellation);
        Assert.AreEqual(At(16, 0), schedule.Json().GetProperty("lastSessionTime").GetDateTimeOffset(), schedule.ToString());
    }


    private static DateTimeOffset At(int hour, int minute, int second = 0) => Day.AddHours(hour).AddMinutes(minute).AddSeconds(second);

    /// <summary>The attempts (instance ids) of the hourly sessions at these hours.</summary>
    private static string[] Sessions(params int[] hours) => [.. hours.Select(h => $"bo:hourly:hourly:{At(h, 0):yyyy-MM-dd'T'HH:mm:ss'Z'}:0")];

    /// <summary>Every store the app can keep in Blob storage, as the deployment keeps them: in containers of this test's own.</summary>
    private static async Task<Dictionary<string, string>> SharedStoresAsync()
    {
        var connection = await SharedAzurite.ConnectionStringAsync();
        var id = Guid.NewGuid().ToString("N")[..12];
        return new Dictionary<string, string>
        {
            [RunStoreConfiguration.ConnectionStringVariable] = connection,
            [RunStoreConfiguration.ContainerVariable] = $"runs-{id}",
            [ProjectStoreConfiguration.ConnectionStringVariable] = connection,
            [ProjectStoreConfiguration.ContainerVariable] = $"projects-{id}",
            [LogStoreConfiguration.ConnectionStringVariable] = connection,
            [LogStoreConfiguration.ContainerVariable] = $"logs-{id}",
            [ParamStoreConfiguration.ConnectionStringVariable] = connection,
            [ParamStoreConfiguration.ContainerVariable] = $"params-{id}",
        };
    }
}
