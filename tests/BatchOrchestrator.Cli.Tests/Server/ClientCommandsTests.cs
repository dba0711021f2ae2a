using BatchOrchestrator.Cli.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Server;

/// <summary>Digdag's everyday client commands: <c>bo init</c>, <c>bo push</c>, <c>bo workflows</c>, <c>bo version</c>, against a running <c>bo server</c>.</summary>
[TestClass]
public sealed class ClientCommandsTests
{
    [TestMethod]
    [DataRow("echo", "+{0}+each^sub+for-0=part=0=first: working on the first part of 2026-11-21")]
    [DataRow("sh", "+{0}+hello: hello from 2026-11-21")]
    [DataRow("py", "+{0}+hello: hello from python")]
    public async Task Init_makes_a_project_that_runs(string sample, string expectedLine)
    {
        using var root = new CliProject();
        var folder = Path.Combine(root.Folder, "fresh_" + sample);
        var init = await root.BoAsync(["init", "-t", sample, folder]);
        Assert.AreEqual(0, init.Exit, init.ToString());
        Assert.Contains($"created project fresh_{sample} in {folder}", init.Output);

        var run = await root.BoAsync(["run", Path.Combine(folder, $"fresh_{sample}.dig"), "--session", "2026-11-21"]);
        Assert.AreEqual(0, run.Exit, run.ToString());
        CollectionAssert.Contains(run.OutputLines, string.Format(System.Globalization.CultureInfo.InvariantCulture, expectedLine, "fresh_" + sample), run.Output);

        var again = await root.BoAsync(["init", folder]);
        Assert.AreEqual(1, again.Exit, again.ToString());
        Assert.Contains("already exists: bo init makes a new project", again.Error);
        Assert.DoesNotContain("   at ", again.All);
    }

    [TestMethod]
    public async Task Push_sends_a_project_the_server_then_lists_and_runs()
    {
        using var served = new CliProject();
        served.Write("daily.dig", "+a:\n  echo>: served\n");
        using var server = await BoServerProcess.StartAsync(served.Folder);
        var url = server.Client.BaseAddress!.ToString();

        using var pushed = new CliProject();
        pushed.Write("etl.dig", "+extract:\n  sh>: sh scripts/extract.sh\n");
        pushed.Write("scripts/extract.sh", "echo extracted by the pushed script\n");
        Assert.AreEqual(0, (await pushed.RunAsync("etl.dig", "--session", "2026-11-20")).Exit, "its local state folder is not sent");

        var push = await pushed.BoAsync(["push", pushed.Folder, "-e", url, "--project", "etl_project"]);
        Assert.AreEqual(0, push.Exit, push.ToString());
        StringAssert.Matches(push.Output, new System.Text.RegularExpressions.Regex(@"^pushed project etl_project to .*: revision \S+, workflows etl"));

        var workflows = await pushed.BoAsync(["workflows", "-e", url]);
        Assert.AreEqual(0, workflows.Exit, workflows.ToString());
        StringAssert.Matches(workflows.Output, new System.Text.RegularExpressions.Regex(@"etl_project\s+etl\s+\S+"));
        StringAssert.Matches(workflows.Output, new System.Text.RegularExpressions.Regex($@"{served.Name}\s+daily\s+\S+"));

        var start = await pushed.BoAsync(["start", "-e", url, "etl_project", "etl", "--session", "2026-11-21"]);
        Assert.AreEqual(0, start.Exit, start.ToString());
        var attempt = start.Output.Split(' ').Single(w => w.StartsWith("bo:etl_project:etl:", StringComparison.Ordinal));
        var log = await pushed.BoAsync(["log", attempt, "-f", "-e", url]);
        Assert.Contains("extracted by the pushed script", log.Output, log.ToString());
    }

    [TestMethod]
    public async Task Client_errors_are_one_line_saying_what_to_do()
    {
        using var project = new CliProject();
        project.Write("etl.dig", "+a:\n  echo>: hi\n");
        var unreachable = await project.BoAsync(["push", project.Folder, "-e", "http://127.0.0.1:9"]);
        Assert.AreEqual(1, unreachable.Exit, unreachable.ToString());
        StringAssert.StartsWith(unreachable.Error, "error: cannot reach the server at http://127.0.0.1:9/");
        Assert.Contains("is `bo server` running there?", unreachable.Error);
        var empty = await project.BoAsync(["push", Path.Combine(project.Folder, "nothing-here"), "-e", "http://127.0.0.1:9"]);
        Assert.AreEqual(2, empty.Exit, empty.ToString());
        Assert.Contains("no such project folder", empty.Error);
        Assert.DoesNotContain("   at ", unreachable.All + empty.All);

        var version = await project.BoAsync(["version"]);
        Assert.AreEqual(0, version.Exit, version.ToString());
        StringAssert.Matches(version.Output, new System.Text.RegularExpressions.Regex(@"^bo \d+\.\d+\.\d+\S* \(\.NET 10\.\d+\.\d+\)"));
    }
}
