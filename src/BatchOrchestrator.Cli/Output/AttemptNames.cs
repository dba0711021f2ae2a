using System.Globalization;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Cli.Output;

/// <summary>How an attempt is called in listings: <c>#1</c>, <c>#2 retry-1</c>.</summary>
public static class AttemptNames
{
    public static string Of(AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var index = "#" + attempt.Index.ToString(CultureInfo.InvariantCulture);
        return attempt.RetryAttemptName is { } name ? $"{index} {name}" : index;
    }
}
