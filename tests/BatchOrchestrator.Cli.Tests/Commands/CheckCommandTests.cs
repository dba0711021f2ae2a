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
    public async Task Check_catches_what_the_run_would_each_at_its_place()
    {
        using var folder = new TempWorkflowDirectory();
        folder.Write("scripts/fetch.sh", "echo fetched\n");
        folder.Write("tasks/__init__.py", "class Report:\n    def run(self):\n        pass\n");
        folder.Write("tasks/report.py", "def build():\n    pass\n");
        var path = folder.Write("wf.dig", """
            _export:
              target_table: clicks
            +typo:
              echo>: ${target_tabel}
            step1:
              sh>: echo hi
            +fetch:
              sh>: scripts/fetch.sh --day ${session_date}
            +missing_script:
              sh>: scripts/fetch_all.sh
            +module_ok:
              py>: tasks.report.build
            +class_ok:
              py>: tasks.Report.run
            +missing_module:
              py>: tasks.reprot.build
            +missing_py_script:
              py>: jobs/run.py
            +docker:
              docker:
                image: python:3.12
              sh>: echo in docker
            +blocking:
              wait>: 10s
              blocking: true
              poll_interval: 1s
            +secret:
              echo>: ${secret:${secret_key}}
            """);

        var (exit, output, _) = await RunAsync(path);

        Assert.AreEqual(1, exit, output);
        var lines = output.Split('\n');
        string At(int line) => lines.SingleOrDefault(l => l.StartsWith($"{path}:{line}:", StringComparison.Ordinal)) ?? $"(nothing at line {line})\n{output}";
        StringAssert.Contains(At(4), "warning: the variable 'target_tabel' is not defined by the workflow; did you mean 'target_table'?");
        StringAssert.Contains(At(5), "'step1' is read as a param, but its value runs sh>; did you mean '+step1'?");
        StringAssert.Contains(At(10), $"sh>: the script 'scripts/fetch_all.sh' is not in the workflow's folder (looked for {Path.Combine(folder.Root, "scripts", "fetch_all.sh")})");
        StringAssert.Contains(At(16), "py>: module 'tasks.reprot' not found in the project");
        StringAssert.Contains(At(18), "py>: the script 'jobs/run.py' is not in the workflow's folder");
        StringAssert.Contains(At(20), "docker: (Digdag's Docker command executor) is not supported by BatchOrchestrator");
        StringAssert.Contains(At(20), "use container:");
        StringAssert.Contains(At(26), "wait> poll_interval can't be given with blocking: true");
        StringAssert.Contains(At(28), "${secret:${secret_key}}: a secret's name is written as it is, not built from a param");
        foreach (var fine in new[] { 8, 12, 14 })
        {
            Assert.IsFalse(lines.Any(l => l.StartsWith($"{path}:{fine}:", StringComparison.Ordinal)), $"line {fine} is fine:\n{output}");
        }

        Assert.Contains("(7 errors)", output);
        Assert.DoesNotContain("Node {", output, "no internal type in any message");
    }

    [TestMethod]
    public async Task A_powershell_shell_for_sh_is_an_error_saying_what_to_use_and_zsh_passes()
    {
        using var folder = new TempWorkflowDirectory();
        folder.Write("step2.ps1", "Write-Output hi\n");
        var path = folder.Write("windows.dig", """
            _export:
              sh:
                shell: ["powershell.exe", "-"]

            +step1:
              sh>: step1.exe

            +step2:
              sh>: step2.ps1
            """);
        var zsh = folder.Write("zsh.dig", "_export:\n  sh:\n    shell: [\"/usr/bin/zsh\"]\n+step1:\n  sh>: echo hi\n");

        var (exit, output, _) = await RunAsync(path);
        var (zshExit, zshOutput, _) = await RunAsync(zsh);

        Assert.AreEqual(1, exit, output);
        StringAssert.Contains(output, $"{path}:3:13: sh>: shell 'powershell.exe' is PowerShell, which is not available: commands run on Linux; write them for /bin/sh (or bash, zsh), or run the task in a container: whose image has pwsh");
        Assert.AreEqual(0, zshExit, zshOutput);
    }

    [TestMethod]
    public async Task A_py_name_without_a_module_is_an_error_as_python_cannot_import_it()
    {
        using var folder = new TempWorkflowDirectory();
        folder.Write("tasks/__init__.py", "class MyWorkflow:\n    def step2(self):\n        pass\n");
        var path = folder.Write("py.dig", "+step1:\n  py>: my_step1_method\n+step2:\n  py>: tasks.MyWorkflow.step2\n");

        var (exit, output, _) = await RunAsync(path);

        Assert.AreEqual(1, exit, output);
        StringAssert.Contains(output, $"{path}:2:8: py>: 'my_step1_method' names no module, so Python cannot import it (Digdag fails it with \"ValueError: Empty module name\"); write module.function, e.g. tasks.my_step1_method for a function in tasks.py");
        Assert.DoesNotContain($"{path}:4:", output);
    }

    [TestMethod]
    public async Task Digdag_forms_and_variables_the_run_defines_pass_check()
    {
        using var folder = new TempWorkflowDirectory();
        folder.Write("sub/child.dig", "+where:\n  echo>: ${_workdir} in ${_project_path}\n");
        var path = folder.Write("forms.dig", """
            +set:
              param_set>:
              last_loaded: ${session_date}
              row_count: 10
            +get:
              param_get>:
              last_loaded: previous_load
            +path:
              echo>: ${_project_path}
            +each:
              for_each>:
                fruit: '["apple", "banana"]'
              _do:
                echo>: ${fruit}
            +call:
              call>: sub/child
            """);

        var (exit, output, _) = await RunAsync(path);

        Assert.AreEqual(0, exit, output);
        Assert.DoesNotContain("warning", output);
        Assert.DoesNotContain("_project_path", output.Split("params used:")[1].Split('\n')[1], "a built-in, not a param to give");
    }

    [TestMethod]
    public async Task A_param_operator_without_keys_is_an_error()
    {
        using var folder = new TempWorkflowDirectory();
        var path = folder.Write("empty.dig", "+set:\n  param_set>:\n");
        var (exit, output, _) = await RunAsync(path);
        Assert.AreEqual(1, exit, output);
        Assert.Contains($"{path}:2:3: param_set> needs keys", output);
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
