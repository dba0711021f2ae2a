using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Storage.Blob.Operators;

/// <summary>A blob (or a prefix of blob names) as workflows write it: <c>container/name/with/folders</c>.</summary>
public sealed record BlobPath(string Container, string Name)
{
    /// <summary>Reads <c>container/name</c>.</summary>
    /// <exception cref="TaskFailure">It has no container part or no name part (a workflow mistake: not retryable).</exception>
    public static BlobPath Parse(string operatorName, string what, string? text)
    {
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash <= 0 || slash == text.Length - 1)
        {
            throw new TaskFailure($"{operatorName}>: {what} must be container/blob-name (e.g. reports/daily/2026-11-21.csv), got '{text}'", retryable: false);
        }

        return new BlobPath(text[..slash], text[(slash + 1)..]);
    }

    public override string ToString() => $"{Container}/{Name}";
}
