using System.Globalization;
using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Cli.Remote;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Commands;

/// <summary><c>bo sessions</c>: the sessions in the local state, newest first, with their latest attempt.</summary>
public sealed class SessionsCommand(CliContext context)
{
    public Task<int> RunAsync(StateOptions options, CancellationToken cancellationToken) =>
        UserErrors.ReportAsync(context.Error, async () =>
        {
            ArgumentNullException.ThrowIfNull(options);
            await using var state = await RunSource.OpenAsync(options, cancellationToken);
            var sessions = await SessionListing.ReadAsync(state.Runs, cancellationToken);
            if (sessions.Count == 0)
            {
                await context.Output.WriteLineAsync("no sessions yet");
                return 0;
            }

            var table = new TextTable("session", "workflow", "session time", "attempts", "latest", "status");
            foreach (var (session, attempts) in sessions)
            {
                var latest = attempts.Count == 0 ? null : attempts[^1];
                table.Add(
                    session.SessionId,
                    session.Workflow,
                    Times.Format(session.SessionTime),
                    attempts.Count.ToString(CultureInfo.InvariantCulture),
                    latest is null ? "-" : AttemptNames.Of(latest),
                    latest is null ? "-" : TaskStates.Name(latest.Status));
            }

            table.Write(context.Output);
            return 0;
        });
}
