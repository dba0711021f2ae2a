using System.Net;
using BatchOrchestrator.Api;
using BatchOrchestrator.Cli.Output;
using BatchOrchestrator.Cli.Remote;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// <c>bo run</c> while a <c>bo server</c> holds the project's state folder: the session is started
/// (or retried) by that server over its API, and followed here by its records until it ends, shown
/// as a local run is — so a user never meets a "database in use" for running beside the server.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ServerRun(CliContext context)
{
    public async Task<int> RunAsync(ServerAddress server, RunOptions options, string project, string workflow, string stateDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        if (options.OnlyTask is not null || options.StartTask is not null || options.GoalTask is not null || options.MaxParallel is not null)
        {
            throw new UserError($"bo server (pid {server.Pid}, {server.Url}) runs this project: +task, --start, --goal and --max-parallel are for a local run. Stop the server to use them, or start the session there (`bo start -e {server.Url} {project} {workflow}`).", 2);
        }

        using var client = new ServerClient(server.Url, server.Token);
        await context.Output.WriteLineAsync($"bo server (pid {server.Pid}) runs this project's state: running {workflow} there, at {server.Url}");
        var parameters = await SessionParamsReader.ReadAsync(options.Params, options.ParamsFile, cancellationToken);
        var (status, body) = await client.PostAsync(
            "api/attempts",
            new StartAttemptBody { Project = project, Workflow = workflow, SessionTime = options.Session, Params = parameters.Count == 0 ? null : parameters },
            cancellationToken);
        var attempt = status == HttpStatusCode.Conflict ? ServerClient.Read<ExistingAttemptView>(body).Attempt : ServerClient.Read<AttemptView>(body);
        if (status == HttpStatusCode.Conflict)
        {
            if (attempt.Status == AttemptStatus.Success && !options.Rerun)
            {
                await context.Output.WriteLineAsync($"session {Times.Format(attempt.SessionTime)} of {workflow} already succeeded (attempt {attempt.Id}); nothing to do. Use --rerun to run it again.");
                return 0;
            }

            ResumeModeName? mode = attempt.Status == AttemptStatus.Running ? null : options.Rerun ? ResumeModeName.All : ResumeModeName.Failed;
            if (mode is { } retry)
            {
                var (_, started) = await client.PostAsync($"api/attempts/{ServerClient.Escape(attempt.Id)}/retry", new RetryBody { Mode = retry }, cancellationToken);
                var previous = attempt.Id;
                attempt = ServerClient.Read<AttemptView>(started);
                await context.Output.WriteLineAsync($"retrying attempt {previous} ({(retry == ResumeModeName.All ? "all tasks" : "reusing the tasks that succeeded")}) as attempt {attempt.Id}");
            }
            else
            {
                await context.Output.WriteLineAsync($"attempt {attempt.Id} of this session is running on the server: following it");
            }
        }
        else
        {
            await context.Output.WriteLineAsync($"running {workflow}, session {Times.Format(attempt.SessionTime)}, attempt {attempt.Id}");
        }

        return await FollowAsync(new RemoteRunStore(client), attempt.Id, stateDirectory, cancellationToken);
    }

    private async Task<int> FollowAsync(RemoteRunStore runs, string attemptId, string stateDirectory, CancellationToken cancellationToken)
    {
        AttemptProgress? last = null;
        await context.ProgressDisplay.ShowAsync(async report =>
        {
            while (true)
            {
                last = await AttemptProgress.ReadAsync(runs, attemptId, context.Now, cancellationToken)
                    ?? throw new UserError($"the server has no attempt {attemptId}");
                report(last);
                if (last.Attempt.Status != AttemptStatus.Running)
                {
                    return;
                }

                await Task.Delay(context.PollInterval, context.Clock, cancellationToken);
            }
        });

        var final = last!;
        var succeeded = final.Attempt.Status == AttemptStatus.Success;
        AttemptSummary.Print(context.Output, context.Error, final, new AttemptOutcome(succeeded, []), stateDirectory);
        return succeeded ? 0 : 1;
    }
}
