using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Storage.Blob.Operators;

/// <summary>A blob (or a prefix of blob names) as workflows write it: <c>container/name/with/folders</c>.</summary>
public sealed record BlobPath(string Container, string Name)
{
    /// <summary>Reads <c>container/name</c>.</summary>
    /// <exception cref="TaskFailure">It breaks <see cref="BlobOptionRules.PathProblem"/> (a workflow mistake: not retryable).</exception>
    public static BlobPath Parse(string operatorName, string what, string? text)
    {
        // The same rule bo check applies where the workflow writes the value.
        if (BlobOptionRules.PathProblem(text) is { } problem)
        {
            throw new TaskFailure($"{operatorName}>: {what}: {problem}", retryable: false);
        }

        var slash = text!.IndexOf('/', StringComparison.Ordinal);
        return new BlobPath(text[..slash], text[(slash + 1)..]);
    }

    public override string ToString() => $"{Container}/{Name}";
}
