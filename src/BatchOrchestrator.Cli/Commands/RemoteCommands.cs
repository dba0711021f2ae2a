using System.Net;
using BatchOrchestrator.Api;
using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Cli.Remote;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// What <c>start</c>, <c>retry</c> and <c>kill</c> do against a server (<c>-e/--endpoint</c>): the
/// same requests the web UI makes, printed as in local mode. The server runs the attempts, so
/// these return once it has started or killed one (follow it with <c>bo log -f</c> or <c>bo tasks</c>).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RemoteCommands(CliContext context)
{
    /// <summary>Runs a remote command with a client for <paramref name="endpoint"/>, reporting mistakes as local mode does.</summary>
    public Task<int> RunAsync(string endpoint, string? token, Func<ServerClient, Task<int>> command) =>
        UserErrors.ReportAsync(context.Error, async () =>
        {
            ArgumentNullException.ThrowIfNull(command);
            using var client = new ServerClient(endpoint, token);
            return await command(client);
        });

    public async Task<int> StartAsync(ServerClient client, string project, string workflow, string? session, IReadOnlyList<string> parameters, string? paramsFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var sessionParams = await SessionParamsReader.ReadAsync(parameters, paramsFile, cancellationToken);
        var (status, body) = await client.PostAsync(
            "api/attempts",
            new StartAttemptBody { Project = project, Workflow = workflow, SessionTime = session, Params = sessionParams.Count == 0 ? null : sessionParams },
            cancellationToken);
        if (status == HttpStatusCode.Conflict)
        {
            var existing = ServerClient.Read<ExistingAttemptView>(body).Attempt;
            throw new UserError($"session {Times.Format(existing.SessionTime)} of {workflow} already has attempt {existing.Id} ({TaskStates.Name(existing.Status)}): use `bo retry {existing.Id}` to run it again");
        }

        var attempt = ServerClient.Read<AttemptView>(body);
        await context.Output.WriteLineAsync($"started {workflow}, session {Times.Format(attempt.SessionTime)}, attempt {attempt.Id} on {client.Endpoint}");
        return 0;
    }

    public async Task<int> RetryAsync(ServerClient client, RetryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var runs = new RemoteRunStore(client);
        var original = await AttemptFinder.FindAsync(runs, options.Attempt, cancellationToken);
        if (original.Status == AttemptStatus.Running)
        {
            throw new UserError($"attempt {original.AttemptId} has not finished: wait for it, or end it with `bo kill` first");
        }

        if (options.Mode == ResumeMode.Failed && original.Status == AttemptStatus.Success)
        {
            await context.Output.WriteLineAsync(RetryCommand.NothingFailedMessage(original.AttemptId));
            return 0;
        }

        var fromTask = options.Mode == ResumeMode.From
            ? TaskNames.Resolve(await runs.GetTasksAsync(original.AttemptId, cancellationToken), options.FromTask ?? throw new UserError("--from needs a task, e.g. --from +load", 2))
            : null;
        var overrides = await SessionParamsReader.ReadAsync(options.Params, options.ParamsFile, cancellationToken);
        var mode = options.Mode switch { ResumeMode.Failed => ResumeModeName.Failed, ResumeMode.From => ResumeModeName.From, _ => ResumeModeName.All };
        var (status, body) = await client.PostAsync(
            $"api/attempts/{ServerClient.Escape(original.AttemptId)}/retry",
            new RetryBody { Mode = mode, FromTask = fromTask, Params = overrides.Count == 0 ? null : overrides },
            cancellationToken);
        if (status == HttpStatusCode.Conflict)
        {
            throw new UserError(body.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "conflict" : "conflict");
        }

        var started = ServerClient.Read<AttemptView>(body);
        await context.Output.WriteLineAsync(RetryCommand.RetryMessage(original.AttemptId, options.Mode, fromTask, started.Id));
        return 0;
    }

    public async Task<int> KillAsync(ServerClient client, string attemptReference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var attempt = await AttemptFinder.FindAsync(new RemoteRunStore(client), attemptReference, cancellationToken);
        if (attempt.Status != AttemptStatus.Running)
        {
            await context.Output.WriteLineAsync($"attempt {attempt.AttemptId} already ended: {TaskStates.Name(attempt.Status)}");
            return 0;
        }

        var (status, body) = await client.PostAsync($"api/attempts/{ServerClient.Escape(attempt.AttemptId)}/kill", null, cancellationToken);
        if (status == HttpStatusCode.Conflict)
        {
            var ended = ServerClient.Read<ExistingAttemptView>(body).Attempt;
            await context.Output.WriteLineAsync($"attempt {attempt.AttemptId} already ended: {TaskStates.Name(ended.Status)}");
            return 0;
        }

        await context.Output.WriteLineAsync($"killed attempt {attempt.AttemptId}");
        return 0;
    }
}
