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
}
