using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Server;

[TestClass]
public sealed class CliOverServerTests
{
    [TestMethod]
    public async Task State_commands_with_an_endpoint_print_what_they_print_on_the_servers_state_folder()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", """
            +extract:
              sh>: echo extracted
            +load:
              sh>: echo loading; exit 3
            """);
        var url = server.Host.Address.ToString();
        var start = await Bo.RunAsync("start", "-e", url, "shop", "daily", "--session", "2024-08-01", "-p", "day=1");
        Assert.AreEqual(0, start.Exit, start.Error);
        var attemptId = start.Output.Split(' ').Single(w => w.StartsWith("bo:shop:daily:", StringComparison.Ordinal));
        Assert.AreEqual(AttemptStatus.Error, (await server.WaitEndedAsync(attemptId)).Status);

        // The records are the same rows: read locally (the state folder takes readers while the server runs) and over HTTP.
        foreach (var command in new[] { new[] { "sessions" }, ["attempts"], ["tasks", "1"], ["log", "1"], ["log", "1", "+load"] })
        {
            var remote = await Bo.RunAsync([.. command, "-e", url]);
            var local = await Bo.RunAsync([.. command, "--project", Path.Combine(server.ProjectsRoot, "shop"), "--state", server.StateFolder]);
            Assert.AreEqual(0, remote.Exit, remote.Error);
            var expected = command[0] == "tasks" ? string.Join('\n', local.Output.Split('\n').Where(l => !l.TrimStart().StartsWith("log: ", StringComparison.Ordinal))) : local.Output;
            Assert.AreEqual(expected, remote.Output, $"bo {string.Join(' ', command)}");
        }

        var again = await Bo.RunAsync("start", "-e", url, "shop", "daily", "--session", "2024-08-01");
        Assert.AreEqual(1, again.Exit);
        Assert.Contains($"already has attempt {attemptId}", again.Error);

        var retry = await Bo.RunAsync("retry", "-e", url, attemptId, "--from", "+load");
        Assert.AreEqual(0, retry.Exit, retry.Error);
        Assert.Contains("(from +daily+load) as attempt bo:shop:daily:2024-08-01T00:00:00Z:retry-1", retry.Output);

        var kill = await Bo.RunAsync("kill", "-e", url, attemptId);
        Assert.Contains("already ended: error", kill.Output);
    }

    [TestMethod]
    public async Task Schedules_and_backfills_over_the_endpoint_are_the_servers()
    {
        await using var server = await TestServer.StartAsync("shop", "daily.dig", """
            timezone: UTC
            schedule:
              daily>: 07:00:00
            +report:
              echo>: ${session_date}
            """);
        var url = server.Host.Address.ToString();
        var project = Path.Combine(server.ProjectsRoot, "shop");

        var schedules = await Bo.RunAsync("schedules", "-e", url);
        Assert.AreEqual(0, schedules.Exit, schedules.Error);
        var row = schedules.Output.Split('\n').Single(l => l.StartsWith("daily ", StringComparison.Ordinal));
        Assert.Contains("enabled", row);

        var dryRun = await Bo.RunAsync("backfill", "daily", "-e", url, "--project", project, "--from", "2024-08-01", "--count", "2", "--dry-run");
        Assert.AreEqual(0, dryRun.Exit, dryRun.Error);
        Assert.Contains("would run 2 sessions of shop/daily", dryRun.Output);

        var started = await Bo.RunAsync("backfill", "daily", "-e", url, "--project", project, "--from", "2024-08-01", "--count", "2", "--name", "aug");
        Assert.AreEqual(0, started.Exit, started.Error);
        Assert.Contains("backfill aug started on", started.Output);

        var again = await Bo.RunAsync("backfill", "daily", "-e", url, "--project", project, "--from", "2024-08-01", "--count", "2", "--name", "aug");
        Assert.AreEqual(0, again.Exit, again.Error);
        Assert.Contains("backfill aug of shop/daily already exists", again.Output);
    }

    [TestMethod]
    public async Task Log_follow_and_kill_over_the_endpoint_end_with_the_attempt()
    {
        await using var server = await TestServer.StartAsync("shop", "slow.dig", """
            +wait:
              sh>: echo waiting; touch ../started; while [ ! -f ../never ]; do sleep 0.05; done
            """);
        var url = server.Host.Address.ToString();
        var attempt = await server.StartAttemptAsync("shop", "slow", "2024-08-02");
        await TestServer.WaitForFileAsync(Path.Combine(server.ProjectsRoot, "started"));

        var follow = Bo.RunAsync("log", "-f", "-e", url, attempt.Id);
        var kill = await Bo.RunAsync("kill", "-e", url, attempt.Id);
        Assert.AreEqual($"killed attempt {attempt.Id}\n", kill.Output.Replace("\r", "", StringComparison.Ordinal));
        var followed = await follow;
        Assert.AreEqual(0, followed.Exit, followed.Error);
        Assert.Contains("waiting", followed.Output, "log -f printed the output and ended when the attempt did");
    }

    [TestMethod]
    public async Task A_wrong_token_or_an_unreachable_server_is_a_plain_error()
    {
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, IReadOnlyDictionary<string, string>> { ["shop"] = new Dictionary<string, string> { ["d.dig"] = "+a:\n  echo>: a\n" } },
            token: "t0ken");
        var url = server.Host.Address.ToString();
        var denied = await Bo.RunAsync("sessions", "-e", url, "--token", "nope");
        Assert.AreEqual(1, denied.Exit);
        Assert.Contains("401", denied.Error);
        Assert.DoesNotContain("   at ", denied.Error, "no stack trace");

        var allowed = await Bo.RunAsync("sessions", "-e", url, "--token", "t0ken");
        Assert.AreEqual(0, allowed.Exit, allowed.Error);
        Assert.Contains("no sessions yet", allowed.Output);

        var nowhere = await Bo.RunAsync("attempts", "-e", "http://127.0.0.1:1");
        Assert.AreEqual(1, nowhere.Exit);
        Assert.Contains("cannot reach the server", nowhere.Error);
    }
}
