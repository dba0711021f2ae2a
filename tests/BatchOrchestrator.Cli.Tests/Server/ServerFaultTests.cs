using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using BatchOrchestrator.Api;
using BatchOrchestrator.Cli.Tests.Support;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Server;

/// <summary>
/// The server fault test: a real <c>bo server</c> is SIGKILLed at seeded random moments while 20
/// sessions of a mixed workflow (sh>, _parallel, _retry) run, and started again each time. Every
/// task appends a line to runs.txt each time it runs, so what ran is counted outside the engine.
/// </summary>
[TestClass]
public sealed class ServerFaultTests
{
    private const int Sessions = 20;
    private const int Kills = 5;

    private const string Workflow = """
        +a:
          sh>: echo "${session_date} a" >> runs.txt
        +fan:
          _parallel: true
          +b:
            sh>: echo "${session_date} b" >> runs.txt; sleep 0.4
          +c:
            sh>: echo "${session_date} c" >> runs.txt; sleep 0.2
        +flaky:
          _retry: 3
          sh>: echo "${session_date} flaky" >> runs.txt; [ "$(grep -c "^${session_date} flaky$" runs.txt)" -ge 2 ]
        +z:
          sh>: echo "${session_date} z" >> runs.txt
        """;

    [TestMethod]
    public async Task Killed_at_random_and_restarted_every_attempt_finishes_and_only_tasks_in_flight_run_again_each_as_a_try()
    {
        var random = new Random(18);
        var project = Path.Combine(Directory.CreateTempSubdirectory("bo-fault-").FullName, "mixed");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "mixed.dig"), Workflow);
        var clock = Stopwatch.StartNew();

        var server = await BoServerProcess.StartAsync(project);
        var attempts = new List<string>();
        try
        {
            for (var day = 1; day <= Sessions; day++)
            {
                using var response = await server.Client.PostAsync(
                    new Uri("/api/attempts", UriKind.Relative),
                    TestServer.JsonBody($$"""{"project":"mixed","workflow":"mixed","sessionTime":"2024-01-{{day:00}}"}"""));
                Assert.AreEqual(HttpStatusCode.Created, response.StatusCode, await response.Content.ReadAsStringAsync());
                attempts.Add((await response.Content.ReadFromJsonAsync<AttemptView>(TestServer.Json))!.Id);
            }

            var kills = 0;
            for (; kills < Kills && !await AllEndedAsync(server, attempts); kills++)
            {
                // A moment while tasks run: the delay is the seed's, what is in flight then is the machine's.
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 1500)));
                server.Kill();
                server.Dispose();
                server = await BoServerProcess.StartAsync(project);
            }

            using var guard = new CancellationTokenSource(TestServer.Guard);
            while (!await AllEndedAsync(server, attempts))
            {
                await Task.Delay(100, guard.Token);
            }

            var runs = (await File.ReadAllLinesAsync(Path.Combine(project, "runs.txt"))).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
            var reruns = 0;
            var unstarted = 0;
            foreach (var id in attempts)
            {
                var attempt = (await server.Client.GetFromJsonAsync<AttemptView>(new Uri("/api/attempts/" + Uri.EscapeDataString(id), UriKind.Relative), TestServer.Json))!;
                Assert.AreEqual(AttemptStatus.Success, attempt.Status, id);
                var date = attempt.SessionTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                var tasks = (await server.Client.GetFromJsonAsync<List<TaskView>>(new Uri($"/api/attempts/{Uri.EscapeDataString(id)}/tasks", UriKind.Relative), TestServer.Json))!;
                foreach (var (task, once) in new[] { ("a", 1), ("b", 1), ("c", 1), ("flaky", 2), ("z", 1) })
                {
                    var ran = runs.GetValueOrDefault($"{date} {task}");
                    var record = tasks.Single(t => t.Name.EndsWith("+" + task, StringComparison.Ordinal));
                    // Every run shows as a try — also a command that finished and was cleaned up inside its launch
                    // activity just before the kill, its result not yet saved: its launch's durable mark says it ran.
                    Assert.IsLessThanOrEqualTo(record.Tries, ran, $"{date} {task}: ran {ran} times, {record.Tries} tries recorded");

                    // The mark is written before the command starts: a kill between the two counts a try that never ran.
                    if (record.Tries > ran)
                    {
                        unstarted += record.Tries - ran;
                        Console.WriteLine($"{date} {task}: {record.Tries} tries recorded, ran {ran} times");
                    }
                    Assert.IsGreaterThanOrEqualTo(once, ran, $"{date} {task}");
                    reruns += ran - once;
                }
            }

            // A kill can only catch what is running: the 20 sessions' tasks, at most 2 at once in each.
            Assert.IsLessThanOrEqualTo(kills * Sessions * 2, reruns, $"{reruns} runs again over {kills} kills");
            // A kill catches at most one launch on each of the server's activity workers (LocalEngineOptions' default count).
            var workers = Math.Max(4, Environment.ProcessorCount * 2);
            Assert.IsLessThanOrEqualTo(kills * workers, unstarted, $"{unstarted} tries recorded that never ran over {kills} kills: at most one a launch in flight");
            Console.WriteLine($"{kills} kills, {reruns} runs again, {unstarted} tries that never ran, {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            server.Dispose();
        }
    }

    private static async Task<bool> AllEndedAsync(BoServerProcess server, List<string> attempts)
    {
        var page = await server.Client.GetFromJsonAsync<PageView<AttemptView>>(new Uri("/api/attempts?pageSize=100", UriKind.Relative), TestServer.Json);
        return attempts.All(id => page!.Items.Any(a => a.Id == id && a.Status != AttemptStatus.Running));
    }
}
