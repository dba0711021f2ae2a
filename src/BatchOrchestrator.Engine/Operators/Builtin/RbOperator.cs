using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Language.Operators;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// <c>rb&gt;</c> — Digdag's Ruby operator: <c>rb&gt;: METHOD</c> (defined at the top level of the
/// required file) or <c>rb&gt;: Module::Class.method</c> (a class method, or an instance method of a
/// new instance), after <c>require</c>-ing the file named by the <c>require</c> option (on the task
/// or in <c>_export: rb:</c>, from the project's folder). Digdag's Ruby API is there:
/// <c>Digdag.env.params</c>, <c>store</c>, <c>export</c>, <c>add_subtask</c>; arguments are bound
/// from params by name. The command carries its own runner (<see cref="CommandRequest.Bundled"/>),
/// run by <c>ruby</c> or the <c>ruby</c> option (a string or a list, e.g. <c>[ruby, -rbundler/setup]</c>).
/// A Ruby exception fails the task with its class and message, its backtrace (without the
/// runner's frames) kept for <c>${error.stacktrace}</c>.
/// </summary>
public sealed class RbOperator : IScriptOperator
{
    public static OperatorDescription Description { get; } = new("rb", "runs a Ruby method")
    {
        CommandType = OptionType.String, Example = "rb>: MyWorkflow.step1", PassesParams = true,
        Options = [new("require", OptionType.String), new("ruby", OptionType.StringOrList), new("container", OptionType.Mapping)],
    };

    private const string Bootstrap = "load File.join(ENV.fetch('BO_TASK_DIR'), 'bo_rb_runner.rb')";

    public string Name => "rb";

    public CommandRequest BuildCommand(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = ScriptOptions.Command(request, Name, "METHOD or Module::Class.method");
        var ruby = ScriptOptions.StringList(request, Name, "ruby") ?? ["ruby"];
        var require = ScriptOptions.StringList(request, Name, "require") is { Count: 1 } one ? one[0] : null;
        var task = new Dictionary<string, object?>
        {
            ["command"] = command.Trim(),
            ["require"] = require,
            ["params"] = request.Params.ValueKind == JsonValueKind.Object ? request.Params : new Dictionary<string, object>(),
        };
        return new CommandRequest
        {
            AttemptId = request.AttemptId,
            TaskName = request.TaskName,
            Try = request.Try,
            // $stdout.sync: output reaches the task log as it happens, in order with the backtrace.
            Command = [.. ruby, "-e", "$stdout.sync = true; " + Bootstrap],
            Environment = request.Environment,
            WorkingDirectory = request.WorkingDirectory,
            Container = ScriptOptions.Container(request),
            Timeout = request.Timeout,
            Log = request.Log,
            Files = new Dictionary<string, string> { ["task.json"] = JsonSerializer.Serialize(task, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.DictionaryStringObject) },
            Bundled = ["bo_rb_runner.rb"],
        };
    }

    public TaskResult ReadResult(TaskRequest request, CommandStatus finished) => RunnerResult.Read(Name, "ruby", finished);
}
