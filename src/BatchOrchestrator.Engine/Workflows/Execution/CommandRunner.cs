using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Telemetry;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Engine.Workflows.Params;

namespace BatchOrchestrator.Engine.Workflows.Execution;

/// <summary>
/// One try of a work operator, as activities and durable timers (invariant 1 of the architecture:
/// no activity runs longer than a poll): a script operator's command is launched, polled after
/// each <see cref="CommandStatus.PollAfter"/> and finished; another operator runs as one activity,
/// again after each <see cref="TaskResult.PollAgain"/> it asks for.
/// </summary>
internal sealed class CommandRunner(IOrchestrationContext context, WorkflowServices services, TaskRecorder recorder, TaskActivityCaller activities, OrchestrationTelemetry telemetry)
{
    /// <summary>How often one try is launched again after its host stopped, before the task fails.</summary>
    public const int MaxRelaunches = 5;

    // Launches made by this orchestration so far: numbers each one, the same on every replay.
    private int _launches;

    private readonly SharedEnvironmentSender _environments = new();

    /// <summary>Runs a script operator's command to its end and reads its result (a failed command throws <see cref="TaskFailure"/>).</summary>
    public async Task<TaskResult> RunCommandAsync(IScriptOperator script, TaskRequest request, RenderedTask rendered)
    {
        var command = script.BuildCommand(request);

        // Names only: values are read and masked inside the activities, never here (history).
        var secretKeys = SecretReferences.In(command) is { Count: > 0 } keys ? keys : null;
        var executor = ExecutorOf(services, rendered);
        telemetry.Queued(TelemetryNames.Executor, executor);
        var status = await LaunchAsync(executor, command, rerun: false);
        var relaunches = 0;
        while (!status.IsFinished)
        {
            if (status.Phase == CommandPhase.Lost)
            {
                // The host running it stopped: run the same try again (it does not count against _retry).
                if (++relaunches > MaxRelaunches)
                {
                    throw new TaskFailure(status.FailureMessage ?? "the command was lost too many times");
                }

                status = await LaunchAsync(executor, command, rerun: true);
                continue;
            }

            if (status.PollAfter > TimeSpan.Zero)
            {
                recorder.Flush();
                await context.CreateTimer(context.CurrentUtcDateTime + status.PollAfter, CancellationToken.None);
            }

            status = await activities.CallAsync<CommandStatus>(ActivityNames.PollCommand, new CommandStateInput(status.State, command.Log, secretKeys));
        }

        if (!status.Collected)
        {
            await activities.CallAsync<object?>(ActivityNames.FinishCommand, new CommandStateInput(status.State, command.Log, secretKeys));
        }

        return script.ReadResult(request, status);
    }

    /// <summary>The executor a command runs on: the task's <c>container.executor</c>, else the host's default.</summary>
    public static string ExecutorOf(WorkflowServices services, RenderedTask rendered) =>
        (rendered.Param("container") as JsonObject)?["executor"]?.ToString() ?? services.Options.DefaultExecutor;

    /// <summary>
    /// Launches the command. A try that runs again from its start after its host stopped (lost while
    /// running, or found half-launched) shows as one more try in the records; its _retry budget is unchanged.
    /// </summary>
    private async Task<CommandStatus> LaunchAsync(string executor, CommandRequest command, bool rerun)
    {
        // The first launch says when the task became ready, for the queue-wait metric; a relaunch is not a wait.
        var launch = $"{context.InstanceId}#{++_launches}";
        var (own, shared) = _environments.Split(command);
        var input = new LaunchCommandInput(executor, own) { ReadyAt = rerun ? null : context.CurrentUtcDateTime, Launch = launch, Shared = shared };
        var status = await activities.CallAsync<CommandStatus>(ActivityNames.LaunchCommand, input);
        if (status.SharedEnvironmentUnknown && shared is not null)
        {
            // That host started nothing: the same launch again, with the variables it lacks.
            status = await activities.CallAsync<CommandStatus>(ActivityNames.LaunchCommand, input with { Shared = _environments.InFull(shared) });
        }

        // The lost run (a rerun) and each earlier delivery of this launch ran the command once more;
        // what the executor found left of a run (Restarted) is one of those, or the lost run.
        var ranBefore = Math.Max((rerun ? 1 : 0) + status.Redeliveries, status.Restarted ? 1 : 0);
        if (ranBefore > 0)
        {
            recorder.Update(command.TaskName, r => r with { Tries = r.Tries + ranBefore });
        }

        return status;
    }

    /// <summary>Runs an operator as an activity; a polling one (blob_wait>) runs again after each wait it asks for, holding no worker meanwhile.</summary>
    public async Task<TaskResult> RunOperatorAsync(TaskRequest request)
    {
        telemetry.Queued(TelemetryNames.Operator, request.OperatorName);
        var result = await activities.CallAsync<TaskResult>(ActivityNames.RunOperator, new RunOperatorInput(request) { ReadyAt = context.CurrentUtcDateTime });
        while (result.PollAgain is { } poll)
        {
            recorder.Flush();
            await context.CreateTimer(context.CurrentUtcDateTime + poll.After, CancellationToken.None);
            result = await activities.CallAsync<TaskResult>(ActivityNames.RunOperator, new RunOperatorInput(request with { PollState = poll.State }));
        }

        return result;
    }
}
