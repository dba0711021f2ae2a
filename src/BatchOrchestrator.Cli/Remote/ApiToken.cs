using BatchOrchestrator.Cli.Commands;

namespace BatchOrchestrator.Cli.Remote;

/// <summary>
/// Where a server's API token comes from: <c>--token</c>, else <c>$BO_API_TOKEN</c>, else the
/// file <c>--token-file</c> or <c>$BO_API_TOKEN_FILE</c> names. An argument is visible to every
/// local user in the process list; the variable and the file are not.
/// </summary>
public static class ApiToken
{
    public const string Variable = "BO_API_TOKEN";
    public const string FileVariable = "BO_API_TOKEN_FILE";

    public static string? Resolve(string? option, string? file = null)
    {
        if (!string.IsNullOrEmpty(option))
        {
            return option;
        }

        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } variable)
        {
            return variable;
        }

        var path = string.IsNullOrEmpty(file) ? Environment.GetEnvironmentVariable(FileVariable) : file;
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            var token = File.ReadAllText(path).Trim();
            return token.Length > 0 ? token : throw new UserError($"the token file {path} is empty", 2);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot read the token file {path}: {e.Message}", 2);
        }
    }
}
