using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Language.Model;

namespace BatchOrchestrator.Cli.Commands;

/// <summary><c>--session</c>: <see cref="SessionTimes.Resolve"/>, with a bad value reported as the option's mistake.</summary>
public static class SessionTimeOption
{
    public static SessionTimes Resolve(string? text, WorkflowDefinition definition, DateTimeOffset now)
    {
        try
        {
            return SessionTimes.Resolve(text, definition, now);
        }
        catch (FormatException e)
        {
            throw new UserError("--session " + e.Message, 2);
        }
    }
}
