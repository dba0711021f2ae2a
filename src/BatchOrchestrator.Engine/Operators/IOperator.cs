namespace BatchOrchestrator.Engine.Operators;

/// <summary>
/// A work operator (<c>sh&gt;</c>, <c>py&gt;</c>, <c>http&gt;</c>, ...): runs one try of a task as an
/// activity. It runs at least once per try — after a crash possibly again — so it must be
/// idempotent or safe to repeat. Failures the user should read are thrown as <see cref="TaskFailure"/>.
/// Register one under its name in <see cref="OperatorRegistry"/>; the engine needs no change.
/// </summary>
public interface IOperator
{
    /// <summary>The name used in workflows, without <c>&gt;</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Runs the try and returns its params and subtasks — or, for an operator that waits for
    /// something outside (<c>blob_wait&gt;</c>), <see cref="TaskResult.PollAgain"/> to be run again
    /// after a durable timer instead of waiting inside the activity.
    /// </summary>
    /// <exception cref="TaskFailure">The task failed; the message is the user-facing error.</exception>
    Task<TaskResult> RunAsync(TaskRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Stops what a try started (the attempt was killed), as Digdag's <c>Operator.cleanup</c>: the
    /// engine calls it for a try that was running when its attempt was killed, with the request
    /// the try ran with — possibly on another host than the one running the try, possibly while
    /// the try still runs, possibly more than once, possibly after the try ended. Safe to call
    /// when nothing runs. Most operators start nothing that outlives their run: the default does nothing.
    /// </summary>
    Task CleanupAsync(TaskRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
}
