namespace BatchOrchestrator.Engine.Workflows;

/// <summary>Tuning of the interpreter; the defaults keep every orchestration's history bounded.</summary>
public sealed record WorkflowEngineOptions
{
    /// <summary>
    /// Most children a group runs inside one orchestration. Larger groups (and loops) are split
    /// into sub-orchestrations of at most this many children, recursively, so no single history
    /// grows with the size of the workflow.
    /// </summary>
    public int MaxChildrenPerOrchestration { get; init; } = 50;

    /// <summary>
    /// Most parts of one split group that run at once when the group sets no
    /// <c>_parallel: {limit: N}</c> (with a limit, the limit's window is shared between at most
    /// this many parts). Children still never wait for each other; the parts take turns, so a
    /// 100,000-task fan-out keeps a few hundred parts alive, not 2,000, each holding its tasks'
    /// state (and, past the runtime's session cache, replayed again and again) while the activities
    /// that record them queue behind all the others. Nested parts multiply: two levels run up to
    /// the square of this many parts of <see cref="MaxChildrenPerOrchestration"/> children.
    /// </summary>
    public int MaxPartsAtOnce { get; init; } = 16;

    /// <summary>
    /// Most characters of generated children's definitions (a loop's <c>_do</c> body, once per
    /// child) one part of a split group carries in its input. A part closes early when the next
    /// child would pass this, so a long body repeated 50 times still travels well under the
    /// 16 KB past which Durable Functions moves a payload through a blob on every call.
    /// </summary>
    public int MaxGeneratedCharsPerPart { get; init; } = 8 * 1024;

    /// <summary>The sandbox limits of <c>${...}</c> evaluation (time, statements, memory); the defaults when null.</summary>
    public Language.Templating.TemplateEngineOptions? Templates { get; init; }

    /// <summary>The executor scripting tasks use when their <c>container.executor</c> is not set.</summary>
    public string DefaultExecutor { get; init; } = "local";

    /// <summary>How often <c>require&gt;</c> looks at the session it waits for (a durable timer between looks).</summary>
    public TimeSpan RequirePollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Retries of the <see cref="Activities.ActivityNames.LoadWorkflow"/> activity when the revision
    /// store cannot be reached (a workflow that is missing or invalid is an answer, not a failure,
    /// and is never retried): five tries over about half a minute.
    /// </summary>
    public Orchestration.RetryPolicy LoadWorkflowRetry { get; init; } =
        new(maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(15));
}
