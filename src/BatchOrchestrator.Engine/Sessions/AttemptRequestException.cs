namespace BatchOrchestrator.Engine.Sessions;

/// <summary>
/// A request about an attempt that cannot be carried out as asked, by the asker's mistake (retrying
/// a running attempt, an unknown task): its message says why and what to do. The CLI prints it,
/// the API answers it with a 4xx.
/// </summary>
public sealed class AttemptRequestException(string message, AttemptRequestProblem problem) : Exception(message)
{
    public AttemptRequestProblem Problem { get; } = problem;
}

/// <summary>What kind of mistake an <see cref="AttemptRequestException"/> is (the API's status code follows it).</summary>
public enum AttemptRequestProblem
{
    /// <summary>A value in the request is wrong (400).</summary>
    BadValue,

    /// <summary>The request does not fit the attempt's state (409): it is still running, or already finished.</summary>
    Conflict,
}
