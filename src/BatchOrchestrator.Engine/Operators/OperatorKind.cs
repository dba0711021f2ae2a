namespace BatchOrchestrator.Engine.Operators;

/// <summary>Where an operator's work happens, which decides how the orchestrator dispatches it.</summary>
public enum OperatorKind
{
    /// <summary>
    /// Needs the orchestrator's own context (<c>call&gt;</c> loads and runs a workflow,
    /// <c>require&gt;</c> starts and polls another session, <c>wait&gt;</c> sets a durable timer):
    /// part of the interpreter, described in the registry but never provided by a definition.
    /// </summary>
    Interpreter,

    /// <summary>
    /// Evaluated in the orchestrator, deterministically, into a result or subtasks, like Digdag's
    /// <c>if&gt;</c>/<c>loop&gt;</c> factories (<see cref="IOrchestratorOperator"/>): costs no activity.
    /// </summary>
    Orchestrator,

    /// <summary>A side effect run as an activity (<see cref="IOperator"/>: http&gt;, mail&gt;, blob&gt;, ...).</summary>
    Activity,

    /// <summary>A command an executor runs (<see cref="IScriptOperator"/>: sh&gt;, py&gt;), launched and polled by the orchestrator.</summary>
    Command,
}
