using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Parsing;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Engine.Workflows;

/// <summary>
/// What orchestrator code may use besides its context: pure, deterministic services only (the
/// workflow compiler, the template engine, script operators' pure command building). Shared by
/// every orchestration; holds no per-run state. Whatever reads a store is an activity.
/// </summary>
public sealed class WorkflowServices
{
    private readonly Dictionary<string, IScriptOperator> _scriptOperators;

    public WorkflowServices(IEnumerable<IScriptOperator> scriptOperators, WorkflowEngineOptions? options = null, TemplateEngine? templates = null)
    {
        Templates = templates ?? new TemplateEngine();
        Params = new TaskParamsBuilder(Templates);
        Options = options ?? new WorkflowEngineOptions();
        Workflows = new WorkflowCompiler(Templates);
        _scriptOperators = scriptOperators.ToDictionary(o => o.Name, StringComparer.Ordinal);
    }

    public WorkflowCompiler Workflows { get; }

    public TemplateEngine Templates { get; }

    public TaskParamsBuilder Params { get; }

    public WorkflowEngineOptions Options { get; }

    public WorkflowParser Parser { get; } = new();

    public IScriptOperator? FindScriptOperator(string name) => _scriptOperators.GetValueOrDefault(name);
}
