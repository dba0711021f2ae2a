using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Telemetry;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Parsing;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// What orchestrator code may use besides its context: pure, deterministic services only (the
/// workflow compiler, the template engine, the host's operator definitions — evaluated operators
/// and script operators' command building are pure). Shared by every orchestration; holds no
/// per-run state. Whatever reads a store is an activity.
/// </summary>
public sealed class WorkflowServices
{
    /// <param name="operators">The host's registry: workflows are compiled against it and tasks dispatched by it.</param>
    public WorkflowServices(OperatorRegistry operators, WorkflowEngineOptions? options = null, TemplateEngine? templates = null, EngineTelemetry? telemetry = null)
    {
        ArgumentNullException.ThrowIfNull(operators);
        Operators = operators;
        Templates = templates ?? new TemplateEngine(options?.Templates);
        Params = new TaskParamsBuilder(Templates);
        Options = options ?? new WorkflowEngineOptions();
        Workflows = new WorkflowCompiler(Templates, operators);
        Parser = new WorkflowParser(operators);
        Telemetry = telemetry;
    }

    public OperatorRegistry Operators { get; }

    public WorkflowCompiler Workflows { get; }

    public TemplateEngine Templates { get; }

    public TaskParamsBuilder Params { get; }

    public WorkflowEngineOptions Options { get; }

    public WorkflowParser Parser { get; }

    /// <summary>Where orchestrations record their metrics and spans (only while not replaying); none when null.</summary>
    public EngineTelemetry? Telemetry { get; }
}
