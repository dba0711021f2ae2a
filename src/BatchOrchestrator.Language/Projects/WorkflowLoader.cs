using BatchOrchestrator.Language.Compilation;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Parsing;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Language.Projects;

/// <summary>
/// Reads, validates and compiles workflow files: the one entry point that <c>bo check</c>,
/// <c>bo run</c> and the servers use, so they all agree on what a valid workflow is.
/// </summary>
public sealed class WorkflowLoader
{
    public const string Extension = ".dig";

    private readonly IWorkflowFiles _files;
    private readonly WorkflowYamlReader _reader;
    private readonly WorkflowParser _parser;
    private readonly TemplateCheck _templates;

    /// <summary>A loader of workflow files on the local disk.</summary>
    /// <param name="catalog">The operators of the host that will run the workflows (its registry).</param>
    public WorkflowLoader(IOperatorCatalog catalog, YamlLimits? limits = null, TemplateEngine? templates = null)
        : this(new LocalWorkflowFiles(), catalog, limits, templates)
    {
    }

    /// <summary>A loader of workflow files from <paramref name="files"/> (a revision, files in memory).</summary>
    /// <param name="catalog">The operators of the host that will run the workflows (its registry).</param>
    public WorkflowLoader(IWorkflowFiles files, IOperatorCatalog catalog, YamlLimits? limits = null, TemplateEngine? templates = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        _templates = new TemplateCheck(templates ?? new TemplateEngine());
        _files = files;
        _reader = new WorkflowYamlReader(_files, limits);
        _parser = new WorkflowParser(catalog);
    }

    /// <summary>Loads one <c>.dig</c> file. Never throws for a user's mistake: problems are in the result.</summary>
    public async Task<WorkflowCheckResult> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        var tree = await _reader.ReadAsync(path, diagnostics, cancellationToken);
        return await FinishAsync(path, tree, diagnostics, cancellationToken);
    }

    /// <summary>Loads a workflow from text (an upload, a test); <paramref name="path"/> names it and anchors includes.</summary>
    public async Task<WorkflowCheckResult> LoadTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        var diagnostics = new DiagnosticBag();
        var tree = await _reader.ReadTextAsync(text, path, diagnostics, cancellationToken);
        return await FinishAsync(path, tree, diagnostics, cancellationToken);
    }

    /// <summary>
    /// The workflow files of a project folder: its top-level <c>*.dig</c> files (files in
    /// subfolders are only used through <c>!include</c>), in name order.
    /// </summary>
    public static IReadOnlyList<string> FindWorkflowFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*" + Extension, SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .ToList();

    private async Task<WorkflowCheckResult> FinishAsync(string path, ConfigNode? tree, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        if (tree is null)
        {
            return new WorkflowCheckResult(path, null, null, diagnostics.Sorted());
        }

        var definition = _parser.Parse(WorkflowParser.WorkflowNameOf(path), path, tree, diagnostics);
        var used = _templates.Check(tree, diagnostics);
        var defined = TemplateCheck.DefinedNames(tree);
        WarnLikelyTypos(used, defined, diagnostics);
        if (definition is not null)
        {
            await CheckCallTargetsAsync(definition, diagnostics, cancellationToken);
        }

        TaskPlan? plan = null;
        if (definition is not null && !diagnostics.HasErrors)
        {
            plan = TaskPlanCompiler.Compile(definition);
        }

        return new WorkflowCheckResult(path, definition, plan, diagnostics.Sorted())
        {
            ParamsUsed = used.Select(u => u.Name).ToList(),
            ParamsFromOutside = used.Select(u => u.Name).Where(n => !defined.Contains(n)).ToList(),
        };
    }

    /// <summary>
    /// A variable the workflow never sets, close to one it does (<c>${target_tabel}</c> beside
    /// <c>target_table</c>), is a warning where it is first read, with the run's "did you mean":
    /// a warning only, since it may still come from <c>-p</c> or a task's stored params.
    /// </summary>
    private static void WarnLikelyTypos(IReadOnlyList<(string Name, SourceLocation Location)> used, IReadOnlySet<string> defined, DiagnosticBag diagnostics)
    {
        foreach (var (name, location) in used.Where(u => !defined.Contains(u.Name)))
        {
            var hint = Suggestions.DidYouMean(name, defined);
            if (hint.Length > 0)
            {
                diagnostics.Warning(location, $"the variable '{name}' is not defined by the workflow{hint} (if it comes from -p {name}=... or a task's stored params, ignore this)");
            }
        }
    }

    /// <summary><c>call>: name</c> must name a workflow file next to the calling one (unless it is a template).</summary>
    private async Task CheckCallTargetsAsync(WorkflowDefinition definition, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        foreach (var task in Walk(definition.Root))
        {
            if (task.Operator is not { Name: "call", Command: ScalarNode { IsNull: false } target } call
                || TemplateText.ContainsTemplate(target.Value))
            {
                continue;
            }

            var fileName = target.Value.EndsWith(Extension, StringComparison.Ordinal) ? target.Value : target.Value + Extension;
            var resolved = _files.ResolveRelative(call.Location.File, fileName);
            if (await _files.GetSizeAsync(resolved, cancellationToken) is null)
            {
                diagnostics.Error(target.Location, $"call>: workflow '{target.Value}' not found (looked for {resolved})");
            }
        }
    }

    private static IEnumerable<TaskDefinition> Walk(TaskDefinition root)
    {
        var stack = new Stack<TaskDefinition>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var task = stack.Pop();
            yield return task;
            foreach (var next in task.Children
                         .Concat(new[] { task.ErrorTask, task.CheckTask, task.DoBody, task.ElseDoBody }.OfType<TaskDefinition>()))
            {
                stack.Push(next);
            }
        }
    }
}
