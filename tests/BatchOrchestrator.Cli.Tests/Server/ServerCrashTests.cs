using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BatchOrchestrator.Api;
using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Server;

[TestClass]
public sealed partial class ServerCrashTests
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
        using (var first = await BoServer.StartAsync(project))
        {
            using var response = await first.Client.PostAsync(new Uri("/api/attempts", UriKind.Relative), TestServer.JsonBody("""{"project":"shop","workflow":"chain","sessionTime":"2024-07-01"}"""));
            attemptId = (await response.Content.ReadFromJsonAsync<AttemptView>(TestServer.Json))!.Id;
            await TestServer.WaitForFileAsync(Path.Combine(project, "t2.started"));
            first.Kill(); // SIGKILL: no shutdown, as in a crash
        }

        await File.WriteAllTextAsync(Path.Combine(project, "release"), string.Empty);
        using (var second = await BoServer.StartAsync(project))
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
            var page = await second.Client.GetFromJsonAsync<PageView<AttemptView>>(new Uri("/api/attempts", UriKind.Relative), TestServer.Json, guard.Token);
            Assert.HasCount(1, page!.Items, "the restart started nothing new");
        }
    }

    /// <summary><c>bo server --port 0</c> as a child process, with a client at the address it prints.</summary>
    private sealed partial class BoServer : IDisposable
    {
        private readonly Process _process;

        private BoServer(Process process, Uri address)
        {
            _process = process;
            Client = new HttpClient { BaseAddress = address, Timeout = TestServer.Guard };
        }

        public HttpClient Client { get; }

        public static async Task<BoServer> StartAsync(string project)
        {
            var bo = Path.Combine(Path.GetDirectoryName(typeof(BoCommandLine).Assembly.Location)!, "bo.dll");
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { bo, "server", "--project", project, "--port", "0" })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start) ?? throw new AssertFailedException("could not start bo server");
            using var guard = new CancellationTokenSource(TestServer.Guard);
            var line = await process.StandardOutput.ReadLineAsync(guard.Token);
            var match = line is null ? null : Address().Match(line);
            if (match is not { Success: true })
            {
                process.Kill();
                throw new AssertFailedException($"bo server did not say where it listens: {line}{await process.StandardError.ReadToEndAsync(guard.Token)}");
            }

            return new BoServer(process, new Uri(match.Value));
        }

        public void Kill()
        {
            _process.Kill();
            _process.WaitForExit();
        }

        public void Dispose()
        {
            Client.Dispose();
            if (!_process.HasExited)
            {
                Kill();
            }

            _process.Dispose();
        }

        [GeneratedRegex(@"http://127\.0\.0\.1:\d+/?")]
        private static partial Regex Address();
    }
}
