using BatchOrchestrator.Language.Operators;
using System.Text.Json;
using BatchOrchestrator.Engine.Executors;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// <c>py&gt;</c> — Digdag's Python operator, both forms: <c>py&gt;: module.Class.method</c> /
/// <c>module.function</c> with Digdag's Python API (<c>digdag.env.params</c>, <c>store</c>,
/// <c>export</c>, <c>add_subtask</c>; arguments bound from params by name), and
/// <c>py&gt;: path/to/script.py</c>. The command carries its own small runner and <c>digdag</c>
/// module (<see cref="CommandRequest.Bundled"/>, as files once launched), so it runs the same on any executor with
/// <c>python3</c> (or the <c>python</c> option: a string or a list, e.g. <c>[python3, -X, dev]</c>).
/// A Python exception fails the task with its type and message, its traceback (without the
/// runner's frames) kept for <c>${error.stacktrace}</c>.
/// </summary>
public sealed class PyOperator : IScriptOperator
{
    public static OperatorDescription Description { get; } = new("py", "runs a Python method or script")
    {
        CommandType = OptionType.String, Example = "py>: tasks.MyWorkflow.step", PassesParams = true,
        Options = [new("python", OptionType.StringOrList), new("container", OptionType.Mapping)],
    };

    private const string Bootstrap =
        "import os, sys; sys.path.insert(0, os.environ['BO_TASK_DIR']); import bo_py_runner; bo_py_runner.main()";

    public string Name => "py";

    public CommandRequest BuildCommand(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = ScriptOptions.Command(request, Name, "module.function, module.Class.method or a script path ending in .py");
        var python = ScriptOptions.StringList(request, Name, "python") ?? ["python3"];
        var task = new Dictionary<string, object>
        {
            ["command"] = command.Trim(),
            ["params"] = request.Params.ValueKind == JsonValueKind.Object ? request.Params : new Dictionary<string, object>(),
        };
        var environment = new Dictionary<string, string>(request.Environment, StringComparer.Ordinal)
        {
            // Prints reach the task log as they happen, and in order with the traceback.
            ["PYTHONUNBUFFERED"] = "1",
        };
        return new CommandRequest
        {
            AttemptId = request.AttemptId,
            TaskName = request.TaskName,
            Try = request.Try,
            Command = [.. python, "-c", Bootstrap],
            Environment = environment,
            WorkingDirectory = request.WorkingDirectory,
            Container = ScriptOptions.Container(request),
            Timeout = request.Timeout,
            Log = request.Log,
            Files = new Dictionary<string, string> { ["task.json"] = JsonSerializer.Serialize(task, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.DictionaryStringObject) },
            Bundled = ["bo_py_runner.py", "digdag.py"],
        };
    }

    public TaskResult ReadResult(TaskRequest request, CommandStatus finished) => RunnerResult.Read(Name, "python", finished);
}
