using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Engine.Executors;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// <c>sh&gt;: script</c> — runs the (already template-rendered) script with <c>/bin/sh -c</c>, or with
/// the <c>shell</c> option (<c>_export: {sh: {shell: [bash]}}</c>, Digdag's option; <c>-c</c> is
/// added unless the list already ends with it). Params reach the script as environment variables
/// (<see cref="ParamEnvironment"/>), <c>_env</c> on top. Exit 0 succeeds and may store params
/// written to <c>$BO_OUTPUT</c> (<c>key=value</c> lines or a JSON object); any other exit fails
/// the task with the executor's message (exit code and last lines of output).
/// </summary>
public sealed class ShOperator : IScriptOperator
{
    public static OperatorDescription Description { get; } = new("sh", "runs a shell script")
    {
        CommandType = OptionType.String, Example = "sh>: echo hello", PassesParams = true,
        Options = [new("shell", OptionType.StringOrList), new("container", OptionType.Mapping)],
    };

    public string Name => "sh";

    public CommandRequest BuildCommand(TaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var script = ScriptOptions.Command(request, Name, "a shell script, e.g. 'sh>: echo hello'");
        var shell = ScriptOptions.StringList(request, Name, "shell") ?? ["/bin/sh"];
        List<string> command = [.. shell];
        if (command[^1] != "-c")
        {
            command.Add("-c");
        }

        command.Add(script);
        return new CommandRequest
        {
            AttemptId = request.AttemptId,
            TaskName = request.TaskName,
            Try = request.Try,
            Command = command,
            Environment = ParamEnvironment.Build(request),
            WorkingDirectory = request.WorkingDirectory,
            Container = ScriptOptions.Container(request),
            Timeout = request.Timeout,
            Log = request.Log,
        };
    }

    public TaskResult ReadResult(TaskRequest request, CommandStatus finished)
    {
        ArgumentNullException.ThrowIfNull(finished);
        if (finished.Phase != CommandPhase.Succeeded)
        {
            throw new TaskFailure(finished.FailureMessage ?? $"The shell script failed with exit code {finished.ExitCode}.");
        }

        return new TaskResult { StoreParams = OutputParams.Parse(finished.OutputText) };
    }
}
