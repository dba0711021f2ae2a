using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Executors.Tests.Support;

/// <summary>Runs a scripting operator's command on the local executor, as the engine's activities would.</summary>
internal sealed class OperatorHarness : IAsyncDisposable
{
    public ExecutorHarness Executor { get; } = new();

    /// <summary>A folder standing for the project (the workflow's directory).</summary>
    public string Project => Executor.Root.Path;

    public TaskRequest Request(string operatorName, string command, object? parameters = null, object? config = null)
    {
        var task = $"+wf+{Guid.NewGuid():N}";
        return new TaskRequest
        {
            AttemptId = $"attempt-{Guid.NewGuid():N}",
            TaskName = task,
            OperatorName = operatorName,
            Command = JsonSerializer.SerializeToElement(command),
            Config = JsonSerializer.SerializeToElement(config ?? new { }),
            Params = JsonSerializer.SerializeToElement(parameters ?? new { }),
            WorkingDirectory = Project,
            Log = new TaskLogKey("p", "wf", "2026-01-01T00:00:00+00:00", "a", task, 0),
        };
    }

    public async Task<TaskResult> RunAsync(IScriptOperator op, TaskRequest request)
    {
        // As the launch activity does: bundled files become files just before the executor sees the command.
        var command = BundledFiles.Expand(op.BuildCommand(request));
        var finished = await Executor.RunAsync(command);
        await Executor.Executor.CleanupAsync(finished.State, CancellationToken.None);
        return op.ReadResult(request, finished);
    }

    public string Log(TaskRequest request) => Executor.Logs.Text(request.Log);

    public ValueTask DisposeAsync() => Executor.DisposeAsync();
}
