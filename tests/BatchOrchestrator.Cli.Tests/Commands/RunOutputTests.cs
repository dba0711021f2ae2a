using BatchOrchestrator.Cli.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Commands;

/// <summary>What <c>bo run</c> shows of the tasks themselves: their output as it comes, their errors whole.</summary>
[TestClass]
public sealed class RunOutputTests
{
    [TestMethod]
    public async Task Run_prints_each_tasks_output_after_its_name_and_quiet_hides_it()
    {
        using var project = new CliProject();
        project.Write("out.dig",
            "+load:\n  _parallel: true\n  +a:\n    sh>: printf 'a one\\na two\\n'\n  +b:\n    sh>: printf 'b one\\nno newline at the end'\n+say:\n  echo>: hello ${session_date}\n");
        var result = await project.RunAsync("out.dig", "--session", "2026-11-21");
        Assert.AreEqual(0, result.Exit, result.ToString());
        var lines = result.OutputLines;
        CollectionAssert.Contains(lines, "+out+load+a: a one");
        CollectionAssert.Contains(lines, "+out+load+b: b one");
        CollectionAssert.Contains(lines, "+out+load+b: no newline at the end");
        CollectionAssert.Contains(lines, "+out+say: hello 2026-11-21");
        // A task's lines come in order, and before the line that says it succeeded.
        Assert.IsLessThan(lines.IndexOf("+out+load+a: a two"), lines.IndexOf("+out+load+a: a one"));
        Assert.IsLessThan(lines.FindIndex(l => l.StartsWith("  +out+load+a  success", StringComparison.Ordinal)), lines.IndexOf("+out+load+a: a two"));

        var quiet = await project.RunAsync("out.dig", "--session", "2026-11-22", "-q");
        Assert.AreEqual(0, quiet.Exit, quiet.ToString());
        Assert.DoesNotContain("a one", quiet.Output);
        Assert.DoesNotContain("+out+say: hello", quiet.Output);
        Assert.Contains("  +out+load+a  success", quiet.Output);
        Assert.Contains("success: attempt ", quiet.Output);
    }

    [TestMethod]
    public async Task A_retried_task_shows_each_tries_output_and_a_failure_its_error_whole()
    {
        using var project = new CliProject();
        project.Write("flaky.dig", "+flaky:\n  _retry: 1\n  sh>: echo \"trying\" && test -f ok || (touch ok && echo 'quota exceeded' && exit 2)\n+broken:\n  sh>: echo 'first clue' && echo 'disk on fire' && exit 3\n");
        var result = await project.RunAsync("flaky.dig");
        Assert.AreEqual(1, result.Exit, result.ToString());
        var lines = result.OutputLines;
        Assert.AreEqual(2, lines.Count(l => l == "+flaky+flaky: trying"), result.Output);
        Assert.AreEqual(1, lines.Count(l => l == "+flaky+flaky: quota exceeded"), result.Output);
        // The error whole: the output's last lines under its first line, the task's name not repeated.
        var failed = lines.FindIndex(l => l.StartsWith("  +flaky+broken  error: ", StringComparison.Ordinal));
        Assert.AreEqual("  +flaky+broken  error: Command failed with exit code 3. Last lines of output:", lines[failed], result.Output);
        CollectionAssert.AreEqual(new[] { "      first clue", "      disk on fire" }, lines.Skip(failed + 1).Take(2).ToList(), result.Output);
        Assert.DoesNotContain("+flaky+broken: +flaky+broken", result.All);
    }

    [TestMethod]
    public async Task Bo_tasks_shows_a_failed_tasks_error_whole_without_its_name_in_front()
    {
        using var project = new CliProject();
        project.Write("fails.dig", "+broken:\n  sh>: echo 'first clue' && echo 'disk on fire' && exit 3\n");
        Assert.AreEqual(1, (await project.RunAsync("fails.dig")).Exit);
        var tasks = await project.StateAsync("tasks", "1");
        Assert.AreEqual(0, tasks.Exit, tasks.ToString());
        // The table's cell has the error on one line, the output's last lines included.
        StringAssert.Matches(tasks.Output, new System.Text.RegularExpressions.Regex(@"\+broken\s+error\s+1 .*Command failed with exit code 3\. Last lines of output: \| first clue \| disk on fire"));
        Assert.Contains("+fails+broken (error, try 1):\n  Command failed with exit code 3. Last lines of output:\n  first clue\n  disk on fire", tasks.Output.ReplaceLineEndings("\n"));
        // The task's own error does not start with its name; its group's names the task that failed.
        StringAssert.Matches(tasks.Output, new System.Text.RegularExpressions.Regex(@"└─ \+broken\s+error\s+1\s+\S+\s+\S+\s+Command failed"));
        StringAssert.Matches(tasks.Output, new System.Text.RegularExpressions.Regex(@"\+fails\s+group_error\s+1\s+\S+\s+\S+\s+\+fails\+broken: Command failed"));
    }
}
