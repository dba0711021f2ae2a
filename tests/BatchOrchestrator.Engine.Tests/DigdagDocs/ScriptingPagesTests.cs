using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.DigdagDocs;

/// <summary>
/// The examples of Digdag's <c>sh&gt;</c> and <c>py&gt;</c> pages (digdag-docs/src/operators/sh.md,
/// py.md), as workflows of our own checked against what the pages say they do.
/// </summary>
[TestClass]
public sealed class ScriptingPagesTests
{
    /// <summary>sh.md: a shell command, and shell scripts of the project run one after another (with arguments).</summary>
    [TestMethod]
    public async Task Sh_runs_a_command_and_the_project_s_scripts()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("tasks/step1.sh", "#!/bin/sh\necho step1 >> out.txt\n");
        project.Write("tasks/step2.sh", "#!/bin/sh\necho step2 >> out.txt\n");
        project.Write("tasks/workflow.sh", "#!/bin/sh\necho \"workflow $1\" >> out.txt\n");
        foreach (var script in new[] { "step1", "step2", "workflow" })
        {
            File.SetUnixFileMode(Path.Combine(project.Directory_, "tasks", script + ".sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        project.Write("shell.dig", """
            +hello:
              sh>: echo "hello world"
            +step1:
              sh>: tasks/step1.sh
            +step2:
              sh>: tasks/step2.sh
            +with_args:
              sh>: tasks/workflow.sh --task1
            """);

        var run = await project.RunAsync("shell");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("hello world\n", await project.LogAsync(run, "+shell+hello"));
        CollectionAssert.AreEqual(new[] { "step1", "step2", "workflow --task1" }, project.Read("out.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>sh.md: <c>_export: {sh: {shell: [...]}}</c> picks the shell the commands run in.</summary>
    [TestMethod]
    public async Task Sh_runs_in_the_shell_given_in_export()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("bash.dig", """
            _export:
              sh:
                shell: ["/bin/bash"]
            +step1:
              sh>: test -n "$BASH_VERSION" && echo bash > shell.txt
            """);

        var run = await project.RunAsync("bash");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("bash\n", project.Read("shell.txt"));
    }

    /// <summary>
    /// sh.md: <c>shell: ["/usr/bin/zsh"]</c> in <c>_export</c> runs the commands with zsh (Debian's,
    /// installed by tests/setup/interpreters.sh): the page's script runs, and a command sees zsh.
    /// </summary>
    [TestMethod]
    public async Task Sh_runs_with_zsh_when_export_names_it()
    {
        await using var project = await WorkflowProject.StartAsync();
        var script = project.Write("tasks/step2.sh", "echo step2 ran > step2.txt\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        project.Write("zsh.dig", """
            _export:
              sh:
                shell: ["/usr/bin/zsh"]

            +step1:
              sh>: tasks/step2.sh
            +which:
              sh>: echo "zsh $ZSH_VERSION" > shell.txt
            """);

        var run = await project.RunAsync("zsh");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("step2 ran\n", project.Read("step2.txt"));
        StringAssert.StartsWith(project.Read("shell.txt"), "zsh 5.");
    }

    /// <summary>
    /// py.md's first example, <c>py&gt;: my_step1_method</c>: a name with no module, which Python
    /// cannot import; the task fails as in Digdag (<c>ValueError: Empty module name</c>), saying what to write.
    /// </summary>
    [TestMethod]
    public async Task Py_of_a_name_without_a_module_fails_as_in_digdag()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("my_step1_method.py", "print('not imported')\n");
        project.Write("py.dig", "+step1:\n  py>: my_step1_method\n");

        var run = await project.RunAsync("py");

        Assert.IsFalse(run.Succeeded);
        Assert.Contains("+py+step1: ValueError: Empty module name: py>: 'my_step1_method' names no module; write module.function (e.g. tasks.my_step1_method in tasks.py)", run.Describe());
    }

    /// <summary>py.md: a method of a class in a package's __init__.py, or in a module tasks.py, or a plain function.</summary>
    [TestMethod]
    [DataRow("tasks/__init__.py", "tasks.MyWorkflow.my_task", "class MyWorkflow(object):\n    def my_task(self):\n        print(\"awesome execution\")\n")]
    [DataRow("tasks.py", "tasks.MyWorkflow.my_task", "class MyWorkflow(object):\n    def my_task(self):\n        print(\"awesome execution\")\n")]
    [DataRow("simple_tasks.py", "simple_tasks.my_func", "def my_func():\n    print(\"awesome execution\")\n")]
    public async Task Py_runs_a_method_or_a_function_of_the_project(string file, string command, string code)
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write(file, code);
        project.Write("sample.dig", $"+some_task:\n  py>: {command}\n");

        var run = await project.RunAsync("sample");

        Assert.IsTrue(run.Succeeded, run.Describe());
        StringAssert.Contains(await project.LogAsync(run, "+sample+some_task"), "awesome execution");
    }

    private const string ClassArguments = """
        from typing import Union


        class MyWorkflow(object):
            def __init__(self, required1_1: str, required1_2: str, required2: dict, required3: int, required4: float, required5: list):
                print(f"{required1_1} same as {required1_2}")
                print(f"{float(required3)} same as {required4}")
                print(f"{required2['a']} {required5}")

            def my_task(self):
                pass
        """;

    /// <summary>py.md: arguments of the class's constructor come from the task's params, written on the task or in _export.</summary>
    [TestMethod]
    [DataRow("")]
    [DataRow("  _export:\n")]
    public async Task Py_passes_params_to_the_class_constructor(string export)
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("tasks.py", ClassArguments);
        var indent = export.Length == 0 ? "  " : "    ";
        var values = string.Concat(new[]
        {
            "required1_1: awesome execution", "required1_2: \"awesome execution\"", "required2: {a: \"a\"}",
            "required3: 1", "required4: 1.0", "required5: [a, 1, 1.0, \"a\"]",
        }.Select(line => indent + line + "\n"));
        project.Write("sample.dig", "+some_task:\n" + export + values + "  py>: tasks.MyWorkflow.my_task\n");

        var run = await project.RunAsync("sample");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var log = await project.LogAsync(run, "+sample+some_task");
        StringAssert.Contains(log, "awesome execution same as awesome execution");
        StringAssert.Contains(log, "1.0 same as 1.0");
        StringAssert.Contains(log, "a ['a', 1, 1.0, 'a']");
    }

    /// <summary>py.md: arguments of a function, and of a class and its method together, come from params (on the task or in _export).</summary>
    [TestMethod]
    [DataRow("simple_tasks.my_func", "required1: simple execution\nrequired2: {a: \"a\"}", "simple execution: {'a': 'a'}", false)]
    [DataRow("simple_tasks.my_func", "required1: simple execution\nrequired2: {a: \"a\"}", "simple execution: {'a': 'a'}", true)]
    [DataRow("tasks.MyWorkflow.my_task", "required_class_arg: awesome execution\nrequired_method_arg: [\"a\", \"b\"]", "awesome execution: ['a', 'b']", false)]
    [DataRow("tasks.MyWorkflow.my_task", "required_class_arg: awesome execution\nrequired_method_arg: [\"a\", \"b\"]", "awesome execution: ['a', 'b']", true)]
    public async Task Py_passes_params_to_functions_and_methods(string command, string parameters, string printed, bool inExport)
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("simple_tasks.py", "def my_func(required1: str, required2: dict):\n    print(f\"{required1}: {required2}\")\n");
        project.Write("tasks.py", """
            class MyWorkflow:
                def __init__(self, required_class_arg: str):
                    self.arg = required_class_arg

                def my_task(self, required_method_arg: list):
                    print(f"{self.arg}: {required_method_arg}")
            """);
        var indent = inExport ? "    " : "  ";
        var lines = string.Concat(parameters.Split('\n').Select(line => indent + line + "\n"));
        project.Write("sample.dig", "+some_task:\n" + (inExport ? "  _export:\n" : string.Empty) + lines + $"  py>: {command}\n");

        var run = await project.RunAsync("sample");

        Assert.IsTrue(run.Succeeded, run.Describe());
        StringAssert.Contains(await project.LogAsync(run, "+sample+some_task"), printed);
    }

    /// <summary>py.md: the python option, a path or a command with arguments, on the task or in _export: {py: ...}.</summary>
    [TestMethod]
    [DataRow("  python: python3\n", "")]
    [DataRow("  python: [\"python3\", \"-v\"]\n", "")]
    [DataRow("", "_export:\n  py:\n    python: python3\n")]
    public async Task Py_runs_with_the_python_it_is_given(string option, string export)
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("simple_tasks.py", "import sys\n\n\ndef my_func():\n    print('verbose' if sys.flags.verbose else 'quiet')\n");
        project.Write("sample.dig", export + "+some_task:\n  py>: simple_tasks.my_func\n" + option);

        var run = await project.RunAsync("sample");

        Assert.IsTrue(run.Succeeded, run.Describe());
        StringAssert.Contains(await project.LogAsync(run, "+sample+some_task"), option.Contains("-v", StringComparison.Ordinal) ? "verbose" : "quiet");
    }
}
