namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>A schedule request that cannot be done as asked: the message says why, for a person (a 400, or a 404 when <see cref="NotFound"/>).</summary>
public sealed class ScheduleRequestException : Exception
{
    public ScheduleRequestException(string message, bool notFound = false)
        : base(message)
    {
        NotFound = notFound;
    }

    public ScheduleRequestException()
    {
    }

    public ScheduleRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The project, workflow or schedule does not exist.</summary>
    public bool NotFound { get; }
}
