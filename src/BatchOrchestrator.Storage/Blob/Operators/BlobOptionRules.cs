using System.Text.RegularExpressions;

namespace BatchOrchestrator.Storage.Blob.Operators;

/// <summary>
/// The rules of <c>blob_wait&gt;</c> and <c>blob&gt;</c> values, written once: <c>bo check</c>
/// (<see cref="BlobOptionValidator"/>) reports them where a workflow writes the value, and the
/// operators apply them at run time to rendered values (a <c>${...}</c> decided then).
/// </summary>
public static partial class BlobOptionRules
{
    /// <summary>What <c>blob&gt;:</c> does.</summary>
    public static IReadOnlyList<string> Actions { get; } = ["copy", "move", "delete"];

    /// <summary>The options naming blobs; which ones an action takes is <see cref="PathsOf"/>.</summary>
    public static IReadOnlyList<string> PathOptions { get; } = ["source", "destination", "path"];

    public const string PathExample = "container/blob-name (e.g. reports/daily/2026-11-21.csv)";

    public const string AccountUrlExample = "an account URL such as https://myaccount.blob.core.windows.net";

    /// <summary>The blob options an action needs: <c>path</c> to delete, <c>source</c> and <c>destination</c> to copy or move.</summary>
    public static IReadOnlyList<string> PathsOf(string action) => action == "delete" ? ["path"] : ["source", "destination"];

    /// <summary>Why <paramref name="text"/> is not <c>container/name</c> (ending with what was expected), or null when it is.</summary>
    public static string? PathProblem(string? text)
    {
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash <= 0 || slash == text.Length - 1)
        {
            return $"expected {PathExample}, got '{text}'";
        }

        var container = text[..slash];
        return ContainerName().IsMatch(container) && !container.Contains("--", StringComparison.Ordinal)
            ? null
            : $"'{container}' is not a container name (3-63 lowercase letters, digits and single hyphens)";
    }

    /// <summary>Whether <paramref name="text"/> is an http(s) account URL.</summary>
    public static bool IsAccountUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "https" or "http";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerName();
}
