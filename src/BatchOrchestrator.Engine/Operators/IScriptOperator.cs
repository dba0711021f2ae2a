using BatchOrchestrator.Engine.Executors;

namespace BatchOrchestrator.Engine.Operators;

/// <summary>
/// A scripting operator (<c>sh&gt;</c>, <c>py&gt;</c>): it does not run anything itself. It turns a
/// task into a <see cref="CommandRequest"/> that an <see cref="ICommandExecutor"/> runs wherever the
/// task's <c>container:</c> config says (a local process, a Kubernetes Job, an ACI container), and
/// turns the finished command into a <see cref="TaskResult"/>. Both members are pure functions.
/// </summary>
public interface IScriptOperator
{
    /// <summary>The name used in workflows, without <c>&gt;</c>.</summary>
    string Name { get; }

    /// <summary>The command for one try.</summary>
    /// <exception cref="TaskFailure">The task's config is wrong (not retryable).</exception>
    CommandRequest BuildCommand(TaskRequest request);

    /// <summary>The result of a finished command; a failed command throws <see cref="TaskFailure"/>.</summary>
    TaskResult ReadResult(TaskRequest request, CommandStatus finished);
}
