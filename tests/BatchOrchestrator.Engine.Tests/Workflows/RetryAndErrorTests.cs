using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// Retries, _error and _check end to end (embedded runtime, real processes). The waits between
/// tries are pinned exactly, with no real wait, in <see cref="Execution.TaskRetriesTests"/>; that
/// both runtimes really wait on durable timers, in the Functions conformance suite.
/// </summary>
[TestClass]
public sealed class RetryAndErrorTests
{
    /// <summary>A script that fails until it has been called <paramref name="failures"/> times (a counter file per name).</summary>
    private static string Flaky(string name, int failures) =>
        $"n=$(cat {name}.count 2>/dev/null || echo 0); n=$((n+1)); echo $n > {name}.count; [ $n -gt {failures} ]";

    [TestMethod]
    public async Task A_task_is_retried_until_it_succeeds()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("r.dig", $"""
            +flaky:
              _retry: 3
              sh>: {Flaky("flaky", 2)}
            """);

        var run = await project.RunAsync("r");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(3, run.Task("+r+flaky").Tries);
        Assert.AreEqual("3\n", project.Read("flaky.count"));
    }

    [TestMethod]
    public async Task Retries_give_up_after_the_limit_and_error_tasks_see_the_message()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("e.dig", """
            +load:
              _retry: 1
              sh>: echo "db is down"; exit 1
              _error:
                sh>: 'echo "task error: ${error.message}" > task_error.txt'
            _error:
              +notify:
                sh>: echo "workflow failed" > notified.txt
            """);

        var run = await project.RunAsync("e");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual(2, run.Task("+e+load").Tries);
        Assert.AreEqual(TaskState.Error, run.Task("+e+load").State);
        Assert.Contains("db is down", project.Read("task_error.txt"));
        Assert.AreEqual("workflow failed\n", project.Read("notified.txt"));
        Assert.AreEqual(TaskState.Success, run.Task("+e+load^error").State);
        Assert.AreEqual(TaskState.Success, run.Task("+e^error+notify").State);
    }

    [TestMethod]
    public async Task Error_tasks_see_a_python_failure_as_its_message_and_its_traceback()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("tasks.py", """
            def load(table):
                check(table)


            def check(table):
                raise KeyError("no table named '%s' (%d rows)" % (table, 0))
            """);
        project.Write("p.dig", """
            +load:
              py>: tasks.load
              table: clicks
            _error:
              +report:
                _env:
                  MESSAGE: ${error.message}
                  TRACE: ${error.stacktrace}
                  TASK: ${error.task_name}
                sh>: printf '%s\n---\n%s\n---\n%s\n' "$MESSAGE" "$TASK" "$TRACE" > error.txt
            """);

        var run = await project.RunAsync("p");

        Assert.IsFalse(run.Succeeded);
        var parts = project.Read("error.txt").Split("\n---\n");
        Assert.AreEqual("KeyError: \"no table named 'clicks' (0 rows)\"", parts[0]);
        Assert.AreEqual("+p+load", parts[1]);
        var trace = parts[2];
        StringAssert.StartsWith(trace, "Traceback (most recent call last):\n  File ");
        Assert.Contains("line 2, in load\n    check(table)", trace);
        Assert.Contains("in check\n", trace);
        StringAssert.EndsWith(trace, "KeyError: \"no table named 'clicks' (0 rows)\"\n");
        Assert.DoesNotContain("bo_py_runner", trace, "only the user's frames");
    }

    [TestMethod]
    public async Task A_group_retry_runs_the_whole_group_again()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("g.dig", $"""
            +group:
              _retry: 2
              +first:
                sh>: echo first >> out.txt
              +second:
                sh>: {Flaky("second", 1)}
            """);

        var run = await project.RunAsync("g");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("first\nfirst\n", project.Read("out.txt"));
        Assert.AreEqual(2, run.Task("+g+group").Tries);
        Assert.AreEqual(TaskState.Success, run.Task("+g+group+second").State);
    }

    [TestMethod]
    public async Task A_group_retry_of_a_group_split_into_chunks_records_the_retry()
    {
        // Two children per orchestration: the retry runs new chunks, in the same second as the first try's.
        await using var project = await WorkflowProject.StartAsync(new Engine.Workflows.WorkflowEngineOptions { MaxChildrenPerOrchestration = 2 });
        project.Write("gc.dig", $"""
            +group:
              _retry: 1
              +first:
                sh>: echo first >> out.txt
              +second:
                sh>: echo second >> out.txt
              +third:
                sh>: {Flaky("third", 1)}
            """);

        var run = await project.RunAsync("gc");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("first\nsecond\nfirst\nsecond\n", project.Read("out.txt"));
        Assert.AreEqual(2, run.Task("+gc+group").Tries);
        foreach (var name in new[] { "first", "second", "third" })
        {
            // Not dropped as older than the first try's records (+third's was an error).
            Assert.AreEqual(TaskState.Success, run.Task("+gc+group+" + name).State, run.Describe());
        }
    }

    [TestMethod]
    public async Task Check_tasks_run_after_success_and_a_failing_check_fails_the_task()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("c.dig", """
            +load:
              sh>: echo "rows=0" > $BO_OUTPUT
              _check:
                sh>: test "${rows}" -gt 0 || { echo "no rows loaded"; exit 1; }
            """);

        var run = await project.RunAsync("c");

        Assert.IsFalse(run.Succeeded);
        Assert.Contains("no rows loaded", run.Outcome.Errors.Single().Message);
        Assert.AreEqual(TaskState.Error, run.Task("+c+load^check").State);
    }

    [TestMethod]
    public async Task A_config_error_reported_by_an_activity_is_not_retried()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("cfg.dig", """
            +post:
              _retry: 3
              http>: http://127.0.0.1:9/never-called
              method: POST
              content_format: text
              content:
                a: 1
            """);

        var run = await project.RunAsync("cfg");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual(1, run.Task("+cfg+post").Tries, run.Describe());
    }
}
