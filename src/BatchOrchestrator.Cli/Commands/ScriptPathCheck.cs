using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Cli.Commands;

/// <summary>
/// <c>bo check</c>'s look at the files scripting tasks name, as the run would find them in the
/// workflow's folder: an <c>sh&gt;</c> command that starts with a relative script path
/// (<c>scripts/fetch.sh</c>, <c>./run.sh</c>) that is not there is an error, and so is a
/// <c>py&gt;</c> script (<c>job.py</c>) or a module of a project package (<c>tasks.report.run</c>
/// with no <c>tasks/report.py</c>); a module that is not in the project is a warning, since Python
/// may import it from an installed package. Tasks that run in a container are left alone: their
/// files are the image's.
/// </summary>
internal static class ScriptPathCheck
{
    public static IReadOnlyList<Diagnostic> Check(WorkflowDefinition definition)
    {
        var diagnostics = new DiagnosticBag();
        Visit(definition.Root, inContainer: false, diagnostics);
        return diagnostics.Items;
    }

    private static void Visit(TaskDefinition task, bool inContainer, DiagnosticBag diagnostics)
    {
        inContainer |= task.Export?.Find("container") is not null || task.Config.Find("container") is not null;
        if (!inContainer && task.Operator is { Command: ScalarNode { IsNull: false } command } call && !TemplateText.ContainsTemplate(command.Value))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(call.Location.File)) ?? ".";
            switch (call.Name)
            {
                case "sh":
                    CheckShellScript(command, folder, diagnostics);
                    break;
                case "py":
                    CheckPython(command, folder, diagnostics);
                    break;
            }
        }

        foreach (var next in task.Children.Concat(new[] { task.ErrorTask, task.CheckTask, task.DoBody, task.ElseDoBody }.OfType<TaskDefinition>()))
        {
            Visit(next, inContainer, diagnostics);
        }
    }

    private static void CheckShellScript(ScalarNode command, string folder, DiagnosticBag diagnostics)
    {
        var first = command.Value.TrimStart().Split([' ', '\t', '\n', ';', '&', '|'], 2)[0];
        var isScriptPath = first.Length > 0 && !first.StartsWith('/') && !first.StartsWith('~') && !first.Contains('$', StringComparison.Ordinal)
            && !first.Contains('=', StringComparison.Ordinal) && (first.Contains('/', StringComparison.Ordinal) || first.EndsWith(".sh", StringComparison.Ordinal));
        if (isScriptPath && !File.Exists(Path.Combine(folder, first)))
        {
            diagnostics.Error(command.Location, $"sh>: the script '{first}' is not in the workflow's folder (looked for {Path.GetFullPath(Path.Combine(folder, first))})");
        }
    }

    private static void CheckPython(ScalarNode command, string folder, DiagnosticBag diagnostics)
    {
        var target = command.Value.Trim();
        if (target.EndsWith(".py", StringComparison.Ordinal))
        {
            if (!File.Exists(Path.Combine(folder, target)))
            {
                diagnostics.Error(command.Location, $"py>: the script '{target}' is not in the workflow's folder (looked for {Path.GetFullPath(Path.Combine(folder, target))})");
            }

            return;
        }

        // module.function or module.Class.method: the module is all but the last one or two names.
        var parts = target.Split('.');
        if (parts.Length < 2 || parts.Any(p => p.Length == 0))
        {
            return;
        }

        if (!IsModule(folder, parts[..1]))
        {
            diagnostics.Warning(command.Location, $"py>: no module '{parts[0]}' in the workflow's folder (looked for {Path.Combine(folder, parts[0])}.py); the run imports it only if it is an installed package");
            return;
        }

        // module.Class.method: the class must be written in the module (a package's __init__.py).
        var found = IsModule(folder, parts[..^1])
            || (parts.Length > 2 && ModuleText(folder, parts[..^2]) is { } text && text.Contains("class " + parts[^2], StringComparison.Ordinal));
        if (!found)
        {
            var module = string.Join('.', parts[..^1]);
            diagnostics.Error(command.Location, $"py>: module '{module}' not found in the project (looked for {Path.Combine([folder, .. parts[..^1]])}.py)");
        }
    }

    private static string? ModuleText(string folder, string[] names)
    {
        var path = Path.Combine([folder, .. names]);
        return File.Exists(path + ".py") ? File.ReadAllText(path + ".py")
            : File.Exists(Path.Combine(path, "__init__.py")) ? File.ReadAllText(Path.Combine(path, "__init__.py"))
            : null;
    }

    /// <summary>A module (<c>a/b.py</c>) or a package (<c>a/b/</c>, with or without <c>__init__.py</c>) in the folder.</summary>
    private static bool IsModule(string folder, string[] names)
    {
        var path = Path.Combine([folder, .. names]);
        return File.Exists(path + ".py") || Directory.Exists(path);
    }
}
