using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Cli.Remote;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Server.Local;

namespace BatchOrchestrator.Cli.Commands;

/// <summary><c>bo attempts [session]</c>: every attempt of one session, or of every session (newest session first).</summary>
public sealed class AttemptsCommand(CliContext context)
{
    public Task<int> RunAsync(string? session, StateOptions options, CancellationToken cancellationToken) =>
        UserErrors.ReportAsync(context.Error, async () =>
        {
            ArgumentNullException.ThrowIfNull(options);
            await using var state = await RunSource.OpenAsync(options, cancellationToken);
            IReadOnlyList<SessionAttempts> sessions = session is null
                ? await SessionListing.ReadAsync(state.Runs, cancellationToken)
                : [await AttemptFinder.FindSessionAsync(state.Runs, session, cancellationToken)];
            if (sessions.Sum(s => s.Attempts.Count) == 0)
            {
                await context.Output.WriteLineAsync("no attempts yet");
                return 0;
            }

            var table = new TextTable("attempt", "session time", "name", "status", "created", "duration", "resumed from");
            foreach (var (_, attempts) in sessions)
            {
                foreach (var attempt in attempts.Reverse())
                {
                    table.Add(
                        attempt.AttemptId,
                        Times.Format(attempt.Session.SessionTime),
                        AttemptNames.Of(attempt),
                        TaskStates.Name(attempt.Status),
                        Times.Format(attempt.CreatedAt.ToLocalTime()),
                        Durations.Of(attempt.CreatedAt, attempt.FinishedAt, context.Now),
                        attempt.ResumedFrom ?? string.Empty);
                }
            }

            table.Write(context.Output);
            return 0;
        });
}
