using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Tests.Support.Orchestration;

/// <summary>
/// <see cref="WorkflowOrchestrator"/> on a <see cref="FakeOrchestration"/>: workflows compiled from
/// text (handed over by the <see cref="ActivityNames.LoadWorkflow"/> handler), the attempt's and
/// chunks' orchestrators registered, and the activities every attempt makes answered by default —
/// records kept as the run store would keep them (newest update wins), every command succeeding at
/// once. A test replaces the handlers it is about with <see cref="On{TInput, TResult}"/>.
/// </summary>
internal sealed class WorkflowHarness
{
    /// <summary>When every run starts (the session time too), on the virtual clock.</summary>
    public static readonly DateTime Start = new(2026, 11, 21, 1, 0, 0, DateTimeKind.Utc);

    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecordUpdate> _records = new(StringComparer.Ordinal);

    public WorkflowHarness(WorkflowEngineOptions? options = null, DateTime? start = null)
    {
        Fake = new FakeOrchestration(start ?? Start);
        Services = new WorkflowServices(new OperatorRegistry().AddBuiltins(), options);
        var orchestrator = new WorkflowOrchestrator(Services);
        Fake.AddOrchestrator<AttemptInput, AttemptOutcome>(ActivityNames.WorkflowOrchestrator, orchestrator.RunAsync)
            .AddOrchestrator<ChunkInput, TaskOutcome>(ActivityNames.ChunkOrchestrator, orchestrator.RunChunkAsync);
        On<PlanReference, WorkflowSource>(ActivityNames.LoadWorkflow, Load);
        On<RecordTasksInput, bool>(ActivityNames.RecordTasks, _ => true);
        On<FinishAttemptInput, bool>(ActivityNames.FinishAttempt, finished =>
        {
            Finished = finished;
            return true;
        });
        On<LaunchCommandInput, CommandStatus>(ActivityNames.LaunchCommand, _ => Succeeded());
        On<CommandStateInput, CommandStatus>(ActivityNames.PollCommand, _ => Succeeded());
        On<CommandStateInput, bool>(ActivityNames.FinishCommand, _ => true);
        On<RunOperatorInput, TaskResult>(ActivityNames.RunOperator, _ => TaskResult.Empty);
    }

    public FakeOrchestration Fake { get; }

    public WorkflowServices Services { get; }

    /// <summary>What <see cref="ActivityNames.FinishAttempt"/> was called with (null before).</summary>
    public FinishAttemptInput? Finished { get; private set; }

    /// <summary>The task records as the run store has them now (from every batch written so far).</summary>
    public IReadOnlyDictionary<string, TaskRecord> Records => _records.ToDictionary(r => r.Key, r => r.Value.Record, StringComparer.Ordinal);

    public TaskRecord Task(string name) =>
        _records.TryGetValue(name, out var update) ? update.Record : throw new KeyNotFoundException($"no record of {name}; records: {string.Join(", ", _records.Keys)}");

    /// <summary>Adds a workflow file (<paramref name="name"/>.dig).</summary>
    public WorkflowHarness Workflow(string name, string text)
    {
        _files[name + ".dig"] = text;
        return this;
    }

    /// <summary>
    /// Answers an activity. The writes an input carries are applied first, as the real activities
    /// do, so <see cref="Records"/> stays the run store's view.
    /// </summary>
    public WorkflowHarness On<TInput, TResult>(string activity, Func<TInput, TResult> handler)
    {
        Fake.OnActivity<TInput, TResult>(activity, input =>
        {
            if (input is CarriesWrites carrier)
            {
                Apply(carrier.Writes);
            }

            return handler(input);
        });
        return this;
    }

    /// <summary>Starts an attempt of a workflow added with <see cref="Workflow"/>; drive it with the <see cref="Fake"/>.</summary>
    public Task<AttemptOutcome> StartAttempt(string workflow) =>
        Fake.Start<AttemptInput, AttemptOutcome>(ActivityNames.WorkflowOrchestrator, Input(workflow), "attempt-1");

    /// <summary>Runs an attempt to its end, the clock jumping from timer to timer.</summary>
    public AttemptOutcome Run(string workflow) => Fake.RunToCompletion(StartAttempt(workflow));

    /// <summary>Adds the workflow and runs it.</summary>
    public AttemptOutcome Run(string workflow, string text) => Workflow(workflow, text).Run(workflow);

    public static AttemptInput Input(string workflow) => new()
    {
        ProjectName = "project",
        Plan = new PlanReference("rev-1", workflow),
        SessionTime = new DateTimeOffset(Start),
        AttemptId = "attempt-1",
        AttemptNumber = 1,
        SessionParams = JsonSerializer.SerializeToElement(new Dictionary<string, object>()),
    };

    /// <summary>A command that finished with exit code 0, its output already collected.</summary>
    public static CommandStatus Succeeded(TimeSpan? pollAfter = null) => Status(CommandPhase.Succeeded, pollAfter) with { ExitCode = 0, Collected = true };

    /// <summary>A command that failed with exit code 1, its output already collected.</summary>
    public static CommandStatus Failed(string message = "exit 1") => Status(CommandPhase.Failed) with { ExitCode = 1, FailureMessage = message, Collected = true };

    public static CommandStatus Status(CommandPhase phase, TimeSpan? pollAfter = null) => new()
    {
        Phase = phase,
        State = new CommandState("fake", JsonSerializer.SerializeToElement(new Dictionary<string, string>())),
        PollAfter = pollAfter ?? TimeSpan.Zero,
    };

    /// <summary>The task a command was launched for.</summary>
    public static string TaskOf(ActivityCall call) => call.InputAs<LaunchCommandInput>().Command.TaskName;

    private WorkflowSource Load(PlanReference reference)
    {
        var path = reference.WorkflowName + ".dig";
        return new WorkflowSource
        {
            Path = path,
            Files = [.. _files.Where(f => f.Key == path).Select(f => new WorkflowFile(f.Key, f.Value))],
            CallTargets = [.. _files.Keys.Where(k => k != path)],
            WorkingDirectory = "/project",
        };
    }

    private void Apply(PendingWrites? writes)
    {
        foreach (var update in writes?.Records ?? [])
        {
            if (!_records.TryGetValue(update.Record.TaskName, out var known) || known.Sequence < update.Sequence)
            {
                _records[update.Record.TaskName] = update;
            }
        }
    }
}
