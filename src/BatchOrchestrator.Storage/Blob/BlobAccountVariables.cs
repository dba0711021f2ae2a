using System.Text.RegularExpressions;

namespace BatchOrchestrator.Storage.Blob;

/// <summary>Reads a <see cref="BlobAccount"/> and a container name from host configuration variables.</summary>
internal static partial class BlobAccountVariables
{
    /// <summary>The account the two variables name, or null when neither is set.</summary>
    /// <exception cref="ArgumentException">Both are set (which one was meant is unclear), or the URL is malformed.</exception>
    public static BlobAccount? Read(Func<string, string?> variable, string connectionStringName, string accountUrlName)
    {
        var connectionString = NonEmpty(variable(connectionStringName));
        var accountUrl = NonEmpty(variable(accountUrlName));
        return (connectionString, accountUrl) switch
        {
            (null, null) => null,
            ({ } text, null) => BlobAccount.FromConnectionString(text),
            (null, { } url) => BlobAccount.FromAccountUrl(url),
            _ => throw new ArgumentException($"set either {connectionStringName} or {accountUrlName}, not both"),
        };
    }

    /// <summary>The container name given, or the default; checked against the service's naming rules so a typo fails at start-up.</summary>
    public static string Container(string? given, string fallback, string variableName)
    {
        var name = NonEmpty(given) ?? fallback;
        if (!ContainerName().IsMatch(name) || name.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{variableName} '{name}' is not a container name: 3-63 lowercase letters, digits and single hyphens, starting with a letter or digit");
        }

        return name;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerName();
}
