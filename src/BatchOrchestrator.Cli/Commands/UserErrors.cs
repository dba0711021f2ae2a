using BatchOrchestrator.Engine.Sessions;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>Runs a command body and turns a <see cref="UserError"/> into its message and exit code.</summary>
public static class UserErrors
{
    public static async Task<int> ReportAsync(TextWriter error, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (UserError e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return e.ExitCode;
        }
        catch (AttemptRequestException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return 1;
        }
    }
}
