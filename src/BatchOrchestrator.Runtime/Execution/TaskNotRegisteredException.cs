namespace BatchOrchestrator.Runtime.Execution;

/// <summary>An instance names an orchestrator or activity that is not registered in this runtime.</summary>
public sealed class TaskNotRegisteredException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskNotRegisteredException() { }

    /// <summary>Creates the exception with a message.</summary>
    public TaskNotRegisteredException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TaskNotRegisteredException(string message, Exception innerException) : base(message, innerException) { }
}
