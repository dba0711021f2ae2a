using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BatchOrchestrator.Functions.Tests.Harness;

/// <summary>
/// The orchestration context as the Functions DurableTask extension hands it to an orchestrator
/// function: the worker's own context, plus the two things the extension adds. Its input is read
/// as <c>object</c> and converted to the type <see cref="GetInput{T}"/> asks for through the data
/// converter (the extension cannot know the function's input type beforehand); and every call must
/// come from the orchestrator's thread — an orchestrator that awaited something else (I/O,
/// <c>Task.Run</c>, <c>ConfigureAwait(false)</c>) fails as it does under the Functions worker.
/// </summary>
internal sealed class FunctionOrchestrationContext(TaskOrchestrationContext inner, DataConverter converter) : TaskOrchestrationContext
{
    private object? _input;
    private bool _inputRead;

    public override TaskName Name => inner.Name;

    public override string InstanceId => inner.InstanceId;

    public override ParentOrchestrationInstance? Parent => inner.Parent;

    public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

    public override bool IsReplaying => inner.IsReplaying;

    public override string Version => inner.Version;

    public override IReadOnlyDictionary<string, object?> Properties => inner.Properties;

    public override TaskOrchestrationEntityFeature Entities => inner.Entities;

    protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

    /// <summary>Throws as the extension does when the function's code ran on with another thread than the orchestrator's.</summary>
    public static void ThrowIfNotOrchestratorThread()
    {
        if (!global::DurableTask.Core.OrchestrationContext.IsOrchestratorThread)
        {
            throw new InvalidOperationException("The orchestrator function awaited a task that was not created by its orchestration context: it ran on a thread other than the orchestrator's.");
        }
    }

    public override T GetInput<T>()
    {
        ThrowIfNotOrchestratorThread();
        if (!_inputRead)
        {
            _input = inner.GetInput<object>();
            _inputRead = true;
        }

        return _input is T typed ? typed : (T)converter.Deserialize(converter.Serialize(_input), typeof(T))!;
    }

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        ThrowIfNotOrchestratorThread();
        return inner.CallActivityAsync<TResult>(name, input, options);
    }

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
    {
        ThrowIfNotOrchestratorThread();
        return inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        ThrowIfNotOrchestratorThread();
        return inner.CreateTimer(fireAt, cancellationToken);
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        ThrowIfNotOrchestratorThread();
        return inner.WaitForExternalEvent<T>(eventName, cancellationToken);
    }

    public override void SendEvent(string instanceId, string eventName, object payload)
    {
        ThrowIfNotOrchestratorThread();
        inner.SendEvent(instanceId, eventName, payload);
    }

    public override void SetCustomStatus(object? customStatus)
    {
        ThrowIfNotOrchestratorThread();
        inner.SetCustomStatus(customStatus);
    }

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true)
    {
        ThrowIfNotOrchestratorThread();
        inner.ContinueAsNew(newInput, preserveUnprocessedEvents);
    }

    public override Guid NewGuid()
    {
        ThrowIfNotOrchestratorThread();
        return inner.NewGuid();
    }
}
