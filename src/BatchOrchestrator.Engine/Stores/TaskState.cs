namespace BatchOrchestrator.Engine.Stores;

/// <summary>Digdag's task states.</summary>
public enum TaskState
{
    Blocked,
    Ready,
    RetryWaiting,
    GroupRetryWaiting,
    Running,
    Planned,
    GroupError,
    Success,
    Error,
    Canceled,

    /// <summary>
    /// Not run: outside the tasks an attempt was asked to run (<c>+task</c>, <c>--start</c>,
    /// <c>--goal</c>). Unlike a success, a later attempt of the session runs it.
    /// </summary>
    Skipped,
}
