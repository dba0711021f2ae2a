using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Language.Tests.TestSupport;

namespace BatchOrchestrator.Cli.Tests.Commands;

[TestClass]
public sealed class CheckCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] paths)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await new CheckCommand(output, error, Language.Tests.TestSupport.HostOperators.Catalog).RunAsync(paths, Now, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    [TestMethod]
    public async Task A_valid_folder_exits_0_and_prints_each_task_tree()
    {
        using var folder = new TempWorkflowDirectory();
        folder.Write("hello.dig", "+say:\n  echo>: hi\n+bye:\n  sh>: echo bye\n");
        var (exit, output, _) = await RunAsync(folder.Root);
        Assert.AreEqual(0, exit, output);
        Assert.Contains("hello.dig: ok — workflow 'hello', 3 tasks", output);
        Assert.Contains("├─ +say  echo> hi", output);
        Assert.Contains("└─ +bye  sh> echo bye", output);
        Assert.Contains("schedule: none (runs when started)", output);
        Assert.Contains("1 workflow checked: 1 valid, 0 invalid", output);
    }

    [TestMethod]
    public async Task An_invalid_file_exits_1_with_positioned_errors_and_no_stack_trace()
    {
        using var folder = new TempWorkflowDirectory();
        var path = folder.Write("bad.dig", "+a:\n  _paralel: true\n  +b:\n    shh>: echo\n");
        var (exit, output, _) = await RunAsync(path);
        Assert.AreEqual(1, exit);
        Assert.Contains($"{path}:2:3: unknown key '_paralel'; did you mean '_parallel'?", output);
        Assert.Contains($"{path}:4:5: unknown operator 'shh>'; did you mean 'sh>'?", output);
        Assert.Contains("1 workflow checked: 0 valid, 1 invalid (2 errors)", output);
        Assert.DoesNotContain("   at ", output);
    }

    [TestMethod]
    public async Task A_scheduled_workflow_shows_its_next_sessions_in_its_time_zone()
    {
        using var folder = new TempWorkflowDirectory();
        var path = folder.Write("daily.dig", "timezone: Asia/Tokyo\nschedule:\n  daily>: 07:00:00\n+a:\n  echo>: hi\n");
        var (exit, output, _) = await RunAsync(path);
        Assert.AreEqual(0, exit, output);
        Assert.Contains("schedule: daily at 07:00:00 Asia/Tokyo", output);
        Assert.Contains("next session 2026-11-22 00:00:00 +09:00, runs at 2026-11-22 07:00:00 +09:00", output);
        Assert.Contains("next session 2026-11-23 00:00:00 +09:00, runs at 2026-11-23 07:00:00 +09:00", output);
    }

    [TestMethod]
    public async Task A_missing_path_exits_2()
    {
        var (exit, _, error) = await RunAsync("/no/such/folder");
        Assert.AreEqual(2, exit);
        Assert.Contains("/no/such/folder: no such file or folder", error);
    }

    [TestMethod]
    public async Task The_shipped_workflows_are_valid()
    {
        var root = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(root, "workflows")) || !File.Exists(Path.Combine(root, "BatchOrchestrator.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new AssertFailedException("repository root not found");
        }

        var (exit, output, _) = await RunAsync(Path.Combine(root, "workflows"));
        Assert.AreEqual(0, exit, output);
    }
}
