using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Server.Tests.Api;

/// <summary>
/// Digdag's <c>require&gt;</c> with <c>project_name</c>/<c>project_id</c> on a server that serves
/// several projects: the required workflow runs as a session of its own project (its files, its
/// name), at the requiring session's time, and a project the server does not serve fails the task.
/// </summary>
[TestClass]
public sealed class RequireOtherProjectTests
{
    private static Dictionary<string, IReadOnlyDictionary<string, string>> Projects(string option) => new()
    {
        ["loader"] = new Dictionary<string, string> { ["load.dig"] = "+load:\n  sh>: echo loaded ${project_name} ${session_date}\n" },
        ["reports"] = new Dictionary<string, string> { ["report.dig"] = $"+wait_for_load:\n  require>: load\n  {option}\n+report:\n  echo>: report\n" },
    };

    /// <remarks>The id is a session param: ours are 53-bit, beyond what a literal integer option takes at check time.</remarks>
    [TestMethod]
    [DataRow("project_name: loader")]
    [DataRow("project_id: ${loader_id}")]
    public async Task The_required_workflow_runs_as_a_session_of_its_own_project(string option)
    {
        await using var server = await TestServer.StartAsync(Projects(option));

        var report = await server.StartAttemptAsync("reports", "report", "2026-11-21", $$"""{"loader_id": {{StableIds.Number("loader")}}}""");
        var ended = await server.WaitEndedAsync(report.Id);

        Assert.AreEqual(AttemptStatus.Success, ended.Status);
        var attempts = (await server.GetAsync<PageView<AttemptView>>("/api/attempts")).Items;
        var load = attempts.Single(a => a.Workflow == "load");
        Assert.AreEqual("loader", load.Project, "a session of the required project, not of the requiring one");
        Assert.AreEqual(report.SessionTime, load.SessionTime);
        Assert.AreEqual(AttemptStatus.Success, load.Status);
        using var log = await server.Client.GetAsync(new Uri($"/api/attempts/{Uri.EscapeDataString(load.Id)}/logs/+load+load", UriKind.Relative));
        Assert.Contains("loaded loader 2026-11-21", await log.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task A_project_the_server_does_not_serve_fails_the_task_naming_the_projects()
    {
        await using var server = await TestServer.StartAsync(Projects("project_name: loadr"));

        var report = await server.StartAttemptAsync("reports", "report", "2026-11-21");
        var ended = await server.WaitEndedAsync(report.Id);

        Assert.AreEqual(AttemptStatus.Error, ended.Status);
        var tasks = await server.GetAsync<List<TaskView>>($"/api/attempts/{Uri.EscapeDataString(report.Id)}/tasks");
        var require = tasks.Single(t => t.Name == "+report+wait_for_load");
        Assert.StartsWith("require>: project_name 'loadr': no such project here; the projects are ", require.Error);
        Assert.Contains("loader (project_id ", require.Error);
        Assert.AreEqual(1, require.Tries, "not retried");
    }
}
