using BatchOrchestrator.Language.BuiltIns;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Language.Projects;

/// <summary>
/// Checks every <c>${...}</c> of a workflow before it runs: an expression that is not valid
/// JavaScript (ES5) is an error at its line and column, as Digdag would only find out when the
/// task runs; so is a secret whose name is built from a param (<c>${secret:${key}}</c>: secrets are
/// named as written). Also collects the params the templates read, for <c>bo check</c>'s "params
/// used", and where each is first read.
/// </summary>
internal sealed class TemplateCheck(TemplateEngine engine)
{
    /// <summary>Every variable the templates read, in order of first use, with where that is.</summary>
    public IReadOnlyList<(string Name, SourceLocation Location)> Check(ConfigNode root, DiagnosticBag diagnostics)
    {
        var used = new List<(string, SourceLocation)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<ConfigNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case ScalarNode scalar when TemplateText.ContainsTemplate(scalar.Value):
                    foreach (var key in TemplateText.SecretKeys(scalar.Value).Where(k => k.Contains('$', StringComparison.Ordinal)))
                    {
                        diagnostics.Error(scalar.Location, $"${{secret:{key}}}: a secret's name is written as it is, not built from a param; write the name itself, e.g. ${{secret:api.token}}");
                    }

                    try
                    {
                        foreach (var name in engine.ReferencedVariables(scalar.Value))
                        {
                            if (seen.Add(name))
                            {
                                used.Add((name, scalar.Location));
                            }
                        }
                    }
                    catch (TemplateException error)
                    {
                        diagnostics.Add(error.ToDiagnostic(scalar.Location));
                    }

                    break;
                case MappingNode mapping:
                    for (var i = mapping.Entries.Count - 1; i >= 0; i--)
                    {
                        stack.Push(mapping.Entries[i].Value);
                    }

                    break;
                case SequenceNode sequence:
                    for (var i = sequence.Items.Count - 1; i >= 0; i--)
                    {
                        stack.Push(sequence.Items[i]);
                    }

                    break;
            }
        }

        return used;
    }

    /// <summary>The names a workflow gives values to itself: every key of an <c>_export</c> or a task's plain keys, and the built-ins.</summary>
    public static IReadOnlySet<string> DefinedNames(ConfigNode root)
    {
        var names = new HashSet<string>(BuiltInVariables.Names, StringComparer.Ordinal) { "error", "i", "range" };
        var stack = new Stack<ConfigNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            if (stack.Pop() is not MappingNode mapping)
            {
                continue;
            }

            foreach (var entry in mapping.Entries)
            {
                if (entry.Name == "_export" && entry.Value is MappingNode export)
                {
                    names.UnionWith(export.Entries.Select(e => e.Name));
                }
                else if (entry.Name is "for_each>" && entry.Value is MappingNode axes)
                {
                    names.UnionWith(axes.Entries.Select(e => e.Name));
                }
                else if (!entry.Name.StartsWith('_') && !entry.Name.StartsWith('+') && !entry.Name.EndsWith('>'))
                {
                    names.Add(entry.Name);
                }

                stack.Push(entry.Value);
            }
        }

        return names;
    }
}
