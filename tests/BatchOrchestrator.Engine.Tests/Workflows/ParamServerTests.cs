using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// param_set> and param_get> through the local engine: values persist in the state folder
/// across workflows, attempts and engine restarts, and come back as store params.
/// </summary>
[TestClass]
public sealed class ParamServerTests
{
    [TestMethod]
    public async Task A_value_set_by_one_workflow_is_seen_by_a_later_workflow_as_a_store_param()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("producer.dig", """
            +set:
              param_set>:
                last_day: ${session_date_compact}
                config: {rows: 42, tags: [a, b]}
            """);
        project.Write("consumer.dig", """
            +get:
              param_get>:
                last_day: previous_day
                config: previous_config
            +show:
              sh>: echo "day=${previous_day} rows=${previous_config.rows}" > out.txt
            """);

        var produced = await project.RunAsync("producer");
        Assert.IsTrue(produced.Succeeded, produced.Describe());
        var consumed = await project.RunAsync("consumer");

        Assert.IsTrue(consumed.Succeeded, consumed.Describe());
        Assert.AreEqual("day=20261121 rows=42\n", project.Read("out.txt"));
        Assert.AreEqual("20261121", consumed.Task("+consumer+get").StoreParams!.Value.GetProperty("previous_day").GetString());
    }

    [TestMethod]
    public async Task Values_survive_an_engine_restart_and_a_later_set_replaces_them()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("set1.dig", "+s:\n  param_set>: {counter: first}\n");
        project.Write("set2.dig", "+s:\n  param_set>: {counter: second}\n");
        project.Write("get.dig", "+g:\n  param_get>: {counter: seen}\n+show:\n  sh>: echo \"${seen}\" >> out.txt\n");

        Assert.IsTrue((await project.RunAsync("set1")).Succeeded);
        await project.RestartAsync();
        var first = await project.RunAsync("get");
        Assert.IsTrue((await project.RunAsync("set2")).Succeeded);
        var second = await project.RunAsync("get", retryName: "again");

        Assert.IsTrue(first.Succeeded, first.Describe());
        Assert.IsTrue(second.Succeeded, second.Describe());
        Assert.AreEqual("first\nsecond\n", project.Read("out.txt"));
    }

    [TestMethod]
    public async Task A_run_that_uses_no_param_creates_no_params_database_and_the_first_param_set_does()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("plain.dig", "+a:\n  sh>: echo plain\n");
        project.Write("set.dig", "+s:\n  param_set>: {counter: first}\n");
        var paramsDb = Path.Combine(project.StateDirectory, "params.db");

        var plain = await project.RunAsync("plain");
        Assert.IsTrue(plain.Succeeded, plain.Describe());
        Assert.IsFalse(File.Exists(paramsDb), "nothing read or wrote a param: no database was created for them");

        var set = await project.RunAsync("set");
        Assert.IsTrue(set.Succeeded, set.Describe());
        Assert.IsTrue(File.Exists(paramsDb));
    }

    [TestMethod]
    public async Task A_key_never_set_gives_an_empty_param_as_in_Digdag()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("get.dig", "+g:\n  param_get>: {never_set: value}\n+show:\n  sh>: echo \"[${value}]\" > out.txt\n");

        var run = await project.RunAsync("get");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("[]\n", project.Read("out.txt"));
    }

    [TestMethod]
    public async Task A_param_name_that_is_not_a_string_fails_the_task_naming_the_key()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("get.dig", "+g:\n  param_get>: {some_key: [a, b]}\n");

        var run = await project.RunAsync("get");

        Assert.IsFalse(run.Succeeded);
        StringAssert.Contains(run.Task("+get+g").Error, "key 'some_key' must map to the name of the param");
    }
}
