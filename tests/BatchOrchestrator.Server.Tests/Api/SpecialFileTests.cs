using System.Diagnostics;
using BatchOrchestrator.Api;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Server.Tests.Api;

/// <summary>
/// The file probe on the server: a FIFO named <c>x.dig</c> hung <c>GET /api/projects</c>, and a
/// <c>.dig</c> link to /dev/zero took the server to gigabytes and a 500. Neither is opened now:
/// such files are no workflow, and an include of a device is that workflow's error (not found among the project's files).
/// </summary>
[TestClass]
public sealed class SpecialFileTests
{
    [TestMethod]
    public async Task Fifos_and_links_to_devices_in_a_project_folder_are_never_opened()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["shop"] = new Dictionary<string, string>
            {
                ["daily.dig"] = "+a:\n  echo>: a\n",
                ["inc.dig"] = "+a:\n  !include : '/dev/zero'\n",
            },
        });
        var folder = Path.Combine(server.ProjectsRoot, "shop");
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(folder, "x.dig")]))
        {
            await mkfifo.WaitForExitAsync();
        }

        File.CreateSymbolicLink(Path.Combine(folder, "zero.dig"), "/dev/zero");

        var clock = Stopwatch.StartNew();
        var projects = await server.GetAsync<List<ProjectView>>("/api/projects");
        CollectionAssert.AreEqual(new[] { "daily", "inc" }, projects.Single().Workflows.ToArray(), "a FIFO or a device is no workflow");
        var workflows = await server.GetAsync<List<WorkflowView>>("/api/projects/shop/workflows");
        // A revision's includes resolve among its own files: /dev/zero is not one of them.
        StringAssert.Contains(workflows.Single(w => w.Name == "inc").Error, "inc.dig:2:14: file not found");
        Console.WriteLine($"GET /api/projects and /workflows: {clock.ElapsedMilliseconds} ms");
    }
}
