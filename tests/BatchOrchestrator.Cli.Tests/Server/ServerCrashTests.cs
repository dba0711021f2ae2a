using System.Net.Http.Json;
using BatchOrchestrator.Api;
using BatchOrchestrator.Cli.Tests.Support;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Server;

[TestClass]
public sealed class ServerCrashTests
{
    [TestMethod]
    public async Task A_bo_server_killed_mid_run_and_restarted_carries_the_running_attempt_to_success()
    {
        var root = Directory.CreateTempSubdirectory("bo-server-crash-").FullName;
        var project = Path.Combine(root, "shop");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "chain.dig"), """
            +t1:
              sh>: echo t1 >> runs.txt
            +t2:
              sh>: echo t2 >> runs.txt; touch t2.started; while [ ! -f release ]; do sleep 0.05; done
            +t3:
              sh>: echo t3 >> runs.txt
            """);

        string attemptId;
        using (var first = await BoServerProcess.StartAsync(project))
        {
            using var response = await first.Client.PostAsync(new Uri("/api/attempts", UriKind.Relative), TestServer.JsonBody("""{"project":"shop","workflow":"chain","sessionTime":"2024-07-01"}"""));
            attemptId = (await response.Content.ReadFromJsonAsync<AttemptView>(TestServer.Json))!.Id;
            await TestServer.WaitForFileAsync(Path.Combine(project, "t2.started"));
            first.Kill(); // SIGKILL: no shutdown, as in a crash
        }

        await File.WriteAllTextAsync(Path.Combine(project, "release"), string.Empty);
        using (var second = await BoServerProcess.StartAsync(project))
        {
            using var guard = new CancellationTokenSource(TestServer.Guard);
            AttemptView attempt;
            do
            {
                await Task.Delay(50, guard.Token);
                attempt = (await second.Client.GetFromJsonAsync<AttemptView>(new Uri("/api/attempts/" + Uri.EscapeDataString(attemptId), UriKind.Relative), TestServer.Json, guard.Token))!;
            }
            while (attempt.Status == AttemptStatus.Running);

            Assert.AreEqual(AttemptStatus.Success, attempt.Status);
            var runs = await File.ReadAllLinesAsync(Path.Combine(project, "runs.txt"));
            Assert.AreEqual(1, runs.Count(l => l == "t1"), string.Join(",", runs));
            Assert.AreEqual(1, runs.Count(l => l == "t3"), string.Join(",", runs));
            Assert.IsTrue(runs.Count(l => l == "t2") is 1 or 2, "only the task in flight may run again");
            var tasks = await second.Client.GetFromJsonAsync<List<TaskView>>(new Uri($"/api/attempts/{Uri.EscapeDataString(attemptId)}/tasks", UriKind.Relative), TestServer.Json, guard.Token);
            Assert.AreEqual(runs.Count(l => l == "t2"), tasks!.Single(t => t.Name == "+chain+t2").Tries, "a run again after the crash is a try of its own");
            Assert.AreEqual(1, tasks!.Single(t => t.Name == "+chain+t1").Tries);
            var page = await second.Client.GetFromJsonAsync<PageView<AttemptView>>(new Uri("/api/attempts", UriKind.Relative), TestServer.Json, guard.Token);
            Assert.HasCount(1, page!.Items, "the restart started nothing new");
        }
    }
}
