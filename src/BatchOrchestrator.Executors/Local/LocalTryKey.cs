namespace BatchOrchestrator.Executors.Local;

/// <summary>One try of one task of one attempt: what makes a launch the same launch.</summary>
public sealed record LocalTryKey(string AttemptId, string TaskName, int Try)
{
    /// <summary>A file-safe, collision-resistant folder name for the try.</summary>
    public string FolderName
    {
        get => $"try-{StableHash.OfTry(AttemptId, TaskName, Try, 24)}";
    }
}
