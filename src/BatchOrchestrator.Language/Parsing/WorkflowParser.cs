using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Scheduling;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Language.Parsing;

/// <summary>
/// Turns a workflow file's tree into a <see cref="WorkflowDefinition"/>, validating everything that
/// can be known before run time. Every problem goes to the diagnostics; the definition is returned
/// even when there are errors, so callers can decide what to show.
/// </summary>
public sealed class WorkflowParser
{
    private readonly IOperatorCatalog _catalog;

    /// <param name="catalog">The operators of the host that will run the workflow (its registry).</param>
    public WorkflowParser(IOperatorCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
    }

    /// <summary>The workflow name of a file: its name without <c>.dig</c>.</summary>
    public static string WorkflowNameOf(string path) => Path.GetFileNameWithoutExtension(path);

    public WorkflowDefinition? Parse(string workflowName, string sourcePath, ConfigNode root, DiagnosticBag diagnostics)
    {
        if (root is not MappingNode mapping)
        {
            diagnostics.Error(root.Location, $"a workflow file is a mapping of tasks (e.g. '+hello:' with 'echo>: hi' under it), got {ValueReader.Show(root)}");
            return null;
        }

        var tasks = new TaskParser(_catalog, diagnostics);
        var reader = new ValueReader(diagnostics);
        var rootTask = tasks.Parse("+" + workflowName, mapping, isRoot: true);
        var definition = new WorkflowDefinition { Name = workflowName, SourcePath = sourcePath, Root = rootTask };

        if (mapping.Get(TaskKeys.Timezone) is { } timezoneNode && reader.String("timezone", timezoneNode) is { } timezoneId)
        {
            if (WorkflowTimeZone.TryResolve(timezoneId, out var zone))
            {
                definition = definition with { TimeZoneId = timezoneId, TimeZone = zone };
            }
            else
            {
                var hint = Suggestions.DidYouMean(timezoneId, WorkflowTimeZone.KnownIds());
                diagnostics.Error(timezoneNode.Location, $"timezone: unknown time zone '{timezoneId}'{hint}; use an IANA name such as Asia/Tokyo, America/Los_Angeles or UTC");
            }
        }

        if (mapping.Get(TaskKeys.Schedule) is { } scheduleNode)
        {
            definition = definition with { Schedule = ScheduleParser.Parse(scheduleNode, diagnostics) };
        }

        if (mapping.Get(TaskKeys.Sla) is { } slaNode)
        {
            definition = definition with { Sla = new SlaParser(reader, tasks).Parse(slaNode) };
        }

        if (rootTask.Children.Count == 0 && rootTask.Operator is null)
        {
            diagnostics.Warning(mapping.Location, "the workflow has no tasks (+name: entries); it will do nothing");
        }

        return definition;
    }

    /// <summary>
    /// Parses a task config produced at run time (a <c>_do</c> body, a py> <c>add_subtask</c>):
    /// the same rules as a file, without the workflow-level keys.
    /// </summary>
    public TaskDefinition ParseTask(string name, MappingNode config, DiagnosticBag diagnostics) =>
        new TaskParser(_catalog, diagnostics, requireOptions: false).Parse(name, config, isRoot: false);
}
