using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

[TestClass]
public sealed class ParamsTests
{
    [TestMethod]
    public async Task Exports_flow_to_descendants_and_local_keys_win()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("p.dig", """
            _export:
              who: world
              day: ${session_date_compact}
            +a:
              sh>: echo "a $who $day" >> out.txt
            +b:
              _export:
                who: group
              +c:
                sh>: echo "c $who" >> out.txt
              +d:
                who: local
                sh>: echo "d ${who}" >> out.txt
            +e:
              sh>: echo "e $who" >> out.txt
            """);

        var run = await project.RunAsync("p");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("a world 20261121\nc group\nd local\ne world\n", project.Read("out.txt"));
    }

    [TestMethod]
    public async Task A_key_sees_the_inherited_param_of_its_own_name_and_moment_formats_in_the_timezone()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("k.dig", """
            timezone: Asia/Tokyo
            _export:
              color: red
              path: /data
            +t:
              color: ${color}
              path: ${path}/in
              sh>: echo "${color} ${path} $color $path" >> out.txt
            +u:
              sh>: echo "${moment(session_time).add(1, 'days').format('YYYYMMDD')} ${session_date_compact}" >> out.txt
            """);

        var run = await project.RunAsync("k");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var lines = project.Read("out.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual("red /data/in red /data/in", lines[0]);
        var days = lines[1].Split(' ');
        var sessionDay = DateOnly.ParseExact(days[1], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.AreEqual(sessionDay.AddDays(1).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), days[0]);
    }

    [TestMethod]
    public async Task Stored_params_flow_to_every_later_task_but_never_backwards()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("s.dig", """
            +g:
              +produce:
                sh>: echo "rows=42" > $BO_OUTPUT
              +inside:
                sh>: echo "inside ${rows}" >> out.txt
            +after:
              sh>: echo "after ${rows}" >> out.txt
            """);

        var run = await project.RunAsync("s");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("inside 42\nafter 42\n", project.Read("out.txt"));
        Assert.AreEqual("42", run.Task("+s+g+produce").StoreParams!.Value.GetProperty("rows").GetString());
    }

    [TestMethod]
    public async Task Session_params_cannot_override_an_export_and_built_ins_cannot_be_overridden()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("sp.dig", """
            _export:
              env: production
            +a:
              sh>: echo "${env} ${region} ${session_date}" >> out.txt
            """);

        var run = await project.RunAsync("sp", new { env = "dev", region = "eu", session_date = "1999-01-01" });

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("production eu 2026-11-21\n", project.Read("out.txt"));
    }

    [TestMethod]
    public async Task At_a_parallel_join_the_last_branch_in_submission_order_wins()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("join.dig", """
            +fork:
              _parallel: true
              +a:
                sh>: echo "x=from_a" > $BO_OUTPUT
              +b:
                sh>: echo "x=from_b" > $BO_OUTPUT
            +after:
              sh>: echo "${x}" >> out.txt
            """);

        var run = await project.RunAsync("join");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("from_b\n", project.Read("out.txt"));
    }

    [TestMethod]
    public async Task A_template_error_fails_the_task_with_a_clear_message()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("t.dig", """
            +a:
              echo>: ${no_such_param}
            """);

        var run = await project.RunAsync("t");

        Assert.IsFalse(run.Succeeded);
        Assert.Contains("no_such_param", run.Outcome.Errors.Single().Message);
        Assert.AreEqual(1, run.Task("+t+a").Tries);
    }
}
