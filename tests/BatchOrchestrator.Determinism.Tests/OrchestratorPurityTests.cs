using BatchOrchestrator.Determinism.Tests.Checker;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Language.Parsing;

namespace BatchOrchestrator.Determinism.Tests;

/// <summary>
/// Durable's rule for orchestrator code — no I/O, clock, randomness, environment, threads or
/// blocking — checked on everything <see cref="WorkflowOrchestrator"/> can call in the Engine and
/// the Language (see <see cref="PurityChecker"/> for how). Calls into third-party libraries (Jint,
/// YamlDotNet, logging) and the BCL are not followed, only matched against the forbidden list.
/// </summary>
[TestClass]
public sealed class OrchestratorPurityTests
{
    /// <summary>Forbidden calls that are harmless where they are made.</summary>
    private static readonly AllowedUse[] Allowed =
    [
        new("BatchOrchestrator.Language.Time.WorkflowTimeZone::TryResolve", "System.TimeZoneInfo::FindSystemTimeZoneById", "timezone: names an IANA zone, which has the same rules on every host with the same tz data; there is no other way to name one"),
        new("BatchOrchestrator.Language.Time.WorkflowTimeZone::KnownIds", "System.TimeZoneInfo::GetSystemTimeZones", "only the 'did you mean' of an unknown timezone:, which fails the compile on every host"),
        new("BatchOrchestrator.Language.Templating.TemplateDeadline::", "System.Diagnostics.Stopwatch::GetTimestamp", "the outer time guard of templates (the thread's CPU time, wall-clock only where the platform has no per-thread clock): a template far below it (any real one) renders the same on every replay"),
        new("BatchOrchestrator.Language.Templating.TemplateEngineOptions::", "System.TimeProvider::get_System", "the default 'now' of renders that give none (bo check, activities); orchestrator code gives the orchestration's time"),
        new("BatchOrchestrator.Language.Templating.RenderContext::", "System.TimeProvider::GetUtcNow", "read only when a render gives no 'now'; orchestrator code gives the orchestration's time (TaskParamsBuilder, SlaWatch)"),
    ];

    /// <summary>Implementations of interfaces the orchestrator calls that it can never reach.</summary>
    private static readonly UnfollowedImplementation[] Unfollowed =
    [
        new("BatchOrchestrator.Language.Syntax.LocalWorkflowFiles", "files on disk, for bo check; the orchestrator compiles from the in-memory files LoadWorkflow returns"),
    ];

    [TestMethod]
    public void EverythingTheOrchestratorCallsIsDeterministic()
    {
        var (checker, violations) = CheckOrchestrator();

        Assert.IsEmpty(violations, $"orchestrator code reaches what Durable forbids ({checker.ReachedMethods} methods checked):{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
        Assert.IsEmpty(Allowed.Except(checker.UsedAllowances), "allowances no longer needed: " + string.Join("; ", Allowed.Except(checker.UsedAllowances)));
        Assert.IsEmpty(Unfollowed.Except(checker.UsedUnfollowed), "unfollowed implementations no longer reached: " + string.Join("; ", Unfollowed.Except(checker.UsedUnfollowed)));
    }

    /// <summary>A walk that lost its way (a new shape of compiled code) would pass vacuously: it reaches these, through each kind of edge.</summary>
    [TestMethod]
    [DataRow("BatchOrchestrator.Engine.Workflows.WorkflowCompiler::CompileAsync", DisplayName = "an awaited call")]
    [DataRow("BatchOrchestrator.Language.Syntax.WorkflowYamlReader::IncludeAsync", DisplayName = "deep in the Language")]
    [DataRow("BatchOrchestrator.Engine.Operators.Builtin.ShOperator::BuildCommand", DisplayName = "an interface call (IScriptOperator)")]
    [DataRow("BatchOrchestrator.Engine.Workflows.Execution.GroupWindow::RunChildrenAsync", DisplayName = "a group's walk")]
    [DataRow("BatchOrchestrator.Engine.Workflows.SubtaskGenerator::ForEach", DisplayName = "a static call")]
    [DataRow("BatchOrchestrator.Engine.Workflows.Params.StoreParamsJsonConverter::Write", DisplayName = "a converter System.Text.Json makes")]
    [DataRow("BatchOrchestrator.Language.Templating.TemplateEngine::Render", DisplayName = "templates")]
    public void TheWalkReachesWhatTheOrchestratorRuns(string method)
    {
        var (checker, _) = CheckOrchestrator();

        Assert.Contains(method, checker.Reached, $"{checker.ReachedMethods} methods reached");
    }

    private static (PurityChecker Checker, IReadOnlyList<Violation> Violations) CheckOrchestrator()
    {
        var checker = new PurityChecker([typeof(WorkflowOrchestrator).Assembly.Location, typeof(WorkflowParser).Assembly.Location], Allowed, Unfollowed);
        var orchestrator = typeof(WorkflowOrchestrator).FullName!;
        var violations = checker.Check(checker.Method(orchestrator, nameof(WorkflowOrchestrator.RunAsync)), checker.Method(orchestrator, nameof(WorkflowOrchestrator.RunChunkAsync)));
        return (checker, violations);
    }
}
