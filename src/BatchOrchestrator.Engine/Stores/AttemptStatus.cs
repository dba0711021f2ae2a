namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// Where an attempt is. It only ever moves from <see cref="Running"/> to one of the finished
/// statuses, and a finished status never changes afterwards (the first one written wins).
/// </summary>
public enum AttemptStatus
{
    Running,
    Success,
    Error,
    Killed,
}
