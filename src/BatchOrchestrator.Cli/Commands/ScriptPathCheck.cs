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
/// may import it from an installed package. A PowerShell <c>shell</c> for <c>sh&gt;</c> is an error
/// (none is installed). Tasks that run in a container are left alone: their files are the image's.
/// </summary>
internal static class ScriptPathCheck
{
    public static IReadOnlyList<Diagnostic> Check(WorkflowDefinition definition)
    {
        var diagnostics = new DiagnosticBag();
        Visit(definition.Root, inContainer: false, diagnostics);
        return diagnostics.Items;
    }

    private static void Visit(TaskDefinition task, bool inContainer, DiagnosticBag diagnostics, ConfigNode? shell = null)
    {
        inContainer |= task.Export?.Find("container") is not null || task.Config.Find("container") is not null;
        shell = ShellOf(task.Config) ?? ShellOf(task.Export) ?? shell;
        if (!inContainer && task.Operator is { Name: "sh" } && shell is not null)
        {
            CheckShell(shell, diagnostics);
        }

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
            Visit(next, inContainer, diagnostics, shell);
        }
    }

    /// <summary>The <c>shell</c> option set here: on the task (<c>shell:</c>, <c>sh: {shell:}</c>) or in an <c>_export: {sh: {shell:}}</c>.</summary>
    private static ConfigNode? ShellOf(MappingNode? config) =>
        config is null ? null : config.Get("shell") ?? (config.Get("sh") as MappingNode)?.Get("shell");

    /// <summary>
    /// Digdag's page shows <c>shell: ["powershell.exe", "-"]</c> for Windows; commands run on Linux
    /// here, where no PowerShell is installed: say so before the run, and what to use instead.
    /// </summary>
    private static void CheckShell(ConfigNode shell, DiagnosticBag diagnostics)
    {
        var first = shell switch
        {
            ScalarNode scalar => scalar,
            SequenceNode { Items: [ScalarNode item, ..] } => item,
            _ => null,
        };
        var name = first is null ? string.Empty : Path.GetFileName(first.Value.Replace('\\', '/')).ToLowerInvariant();
        if (name is "powershell.exe" or "powershell" or "pwsh" or "pwsh.exe")
        {
            diagnostics.Error(first!.Location, $"sh>: shell '{first.Value}' is PowerShell, which is not available: commands run on Linux; write them for /bin/sh (or bash, zsh), or run the task in a container: whose image has pwsh");
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
        if (parts.Length == 1 && parts[0].Length > 0)
        {
            diagnostics.Error(command.Location, $"py>: '{target}' names no module, so Python cannot import it (Digdag fails it with \"ValueError: Empty module name\"); write module.function, e.g. tasks.{target} for a function in tasks.py");
            return;
        }

        if (parts.Any(p => p.Length == 0))
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
