using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Language.Parsing;

/// <summary>
/// Parses one task mapping (and, recursively, its children and _error/_check/_do bodies) into a
/// <see cref="TaskDefinition"/>, reporting every problem and carrying on, so one check shows them all.
/// </summary>
internal sealed class TaskParser
{
    private readonly IOperatorCatalog _catalog;
    private readonly ValueReader _reader;
    private readonly ControlKeyParser _control;
    private readonly OperatorCommandValidator _commands;
    private readonly OperatorOptionValidator _options;
    private readonly bool _requireOptions;

    /// <summary>The <c>_export</c>s of the tasks being parsed, outermost first: defaults of operator options.</summary>
    private readonly List<MappingNode> _exports = [];

    /// <param name="requireOptions">
    /// Whether a missing required option is an error: true for a workflow file; false for a task
    /// config made at run time, whose enclosing <c>_export</c>s are not in view.
    /// </param>
    public TaskParser(IOperatorCatalog catalog, DiagnosticBag diagnostics, bool requireOptions = true)
    {
        _catalog = catalog;
        _reader = new ValueReader(diagnostics);
        _control = new ControlKeyParser(_reader);
        _commands = new OperatorCommandValidator(_reader);
        _options = new OperatorOptionValidator(_reader, catalog);
        _requireOptions = requireOptions;
    }

    private DiagnosticBag Diagnostics => _reader.Diagnostics;

    /// <summary>Parses a task; <paramref name="isRoot"/> allows the workflow-level keys (timezone, schedule, sla).</summary>
    public TaskDefinition Parse(string name, MappingNode node, bool isRoot)
    {
        var export = node.Get(TaskKeys.Export) as MappingNode;
        if (export is not null)
        {
            _exports.Add(export);
        }

        try
        {
            return ParseTask(name, node, isRoot);
        }
        finally
        {
            if (export is not null)
            {
                _exports.RemoveAt(_exports.Count - 1);
            }
        }
    }

    private TaskDefinition ParseTask(string name, MappingNode node, bool isRoot)
    {
        var children = new List<(ConfigEntry Entry, MappingNode Body)>();
        var config = new List<ConfigEntry>();
        var localParams = new List<ConfigEntry>();
        var operators = new List<(string Name, ConfigNode? Command, SourceLocation Location)>();
        ConfigNode? typeNode = null;
        ConfigNode? commandNode = null;
        var task = new TaskDefinition { Name = name, Location = node.Location, Config = node };

        foreach (var entry in node.Entries)
        {
            var key = entry.Name;
            if (key.StartsWith('+'))
            {
                if (ChildBody(entry) is { } body)
                {
                    children.Add((entry, body));
                }

                continue;
            }

            config.Add(entry);
            if (key.EndsWith('>'))
            {
                operators.Add((key[..^1], entry.Value, entry.Key.Location));
                continue;
            }

            switch (key)
            {
                case TaskKeys.Type:
                    typeNode = entry.Value;
                    break;
                case TaskKeys.Command:
                    commandNode = entry.Value;
                    break;
                case TaskKeys.Parallel:
                    task = task with { Parallel = _control.Parallel(entry.Value) };
                    break;
                case TaskKeys.Background:
                    task = task with { Background = _reader.Boolean(key, entry.Value) ?? false };
                    break;
                case TaskKeys.After:
                    task = task with { After = _control.After(entry.Value) };
                    break;
                case TaskKeys.Retry:
                    task = task with { Retry = _control.Retry(entry.Value) };
                    break;
                case TaskKeys.Error:
                    task = task with { ErrorTask = Body(entry, "^error") };
                    break;
                case TaskKeys.Check:
                    task = task with { CheckTask = Body(entry, "^check") };
                    break;
                case TaskKeys.Do:
                    task = task with { DoBody = Body(entry, "^sub") };
                    break;
                case TaskKeys.ElseDo:
                    task = task with { ElseDoBody = Body(entry, "^sub") };
                    break;
                case TaskKeys.Export:
                    task = task with { Export = _reader.Mapping(key, entry.Value, allowNull: true) };
                    if (task.Export is { } exported)
                    {
                        _options.ValidateDefaults(exported);
                        if (exported.Find(Docker) is { } docker)
                        {
                            RefuseDocker(docker);
                        }
                    }

                    break;
                case TaskKeys.Env:
                    task = task with { Env = Env(entry.Value) };
                    break;
                case TaskKeys.Secrets:
                    task = task with { Secrets = entry.Value };
                    break;
                case TaskKeys.Disable:
                    task = task with { Disabled = _reader.Boolean(key, entry.Value) ?? false };
                    break;
                case TaskKeys.Schedule or TaskKeys.Sla when !isRoot:
                    Diagnostics.Error(entry.Key.Location, $"'{key}:' is read only at the top level of a workflow file, not inside a task");
                    break;
                case TaskKeys.Timezone or TaskKeys.Schedule or TaskKeys.Sla when isRoot:
                    break;
                default:
                    if (key.StartsWith('_'))
                    {
                        Diagnostics.Error(entry.Key.Location, $"unknown key '{key}'{Suggestions.DidYouMean(key, TaskKeys.Directives)}; keys starting with '_' are reserved for {string.Join(", ", TaskKeys.Directives)}");
                    }
                    else
                    {
                        WarnMissingUnderscore(entry);
                        CheckParamIsNotATask(entry);
                        localParams.Add(entry);
                    }

                    break;
            }
        }

        if (typeNode is not null)
        {
            var typeName = _reader.String(TaskKeys.Type, typeNode);
            if (typeName is not null)
            {
                operators.Add((typeName, commandNode, typeNode.Location));
            }
        }
        else if (commandNode is not null)
        {
            Diagnostics.Error(commandNode.Location, "_command is given without _type; write 'op>: command' (e.g. sh>: echo hi) instead");
        }

        task = task with
        {
            Config = new MappingNode(config, node.Location),
            LocalParams = localParams,
        };

        if (operators.Count > 1)
        {
            var names = string.Join(", ", operators.Select(o => $"{o.Name}>"));
            Diagnostics.Error(operators[1].Location, $"a task has one operator, but {name} has {operators.Count}: {names}; split them into separate +tasks");
        }

        if (operators.Count > 0)
        {
            var (opName, command, location) = operators[0];
            task = task with { Operator = new OperatorCall(opName, command, location) };
            CheckOperator(task, task.Operator!);
            if (children.Count > 0)
            {
                Diagnostics.Error(children[0].Entry.Key.Location, $"{name} runs the operator {opName}>, so it can't have child tasks ({children[0].Entry.Name}); move the operator into its own +task or the children into a group");
            }

            return task;
        }

        CheckGroupOnlyKeys(task);
        var parsedChildren = children.Select(c => Parse(c.Entry.Name, c.Body, isRoot: false)).ToList();
        SiblingRules.Check(task, parsedChildren, Diagnostics);
        return task with { Children = parsedChildren };
    }

    private void CheckOperator(TaskDefinition task, OperatorCall call)
    {
        if (_catalog.Find(call.Name) is not { } description)
        {
            if (_catalog.NotProvided(call.Name) is { } vendor)
            {
                Diagnostics.Error(call.Location, $"operator {call.Name}> ({vendor}) is a Digdag operator not supported by BatchOrchestrator; run it from sh>/py> in a container instead");
            }
            else
            {
                var hint = Suggestions.Closest(call.Name, _catalog.Names);
                var suggestion = hint is null ? string.Empty : $"; did you mean '{hint}>'?";
                Diagnostics.Error(call.Location, $"unknown operator '{call.Name}>'{suggestion} (operators: {string.Join(", ", _catalog.Names.Select(n => n + ">"))})");
            }

            return;
        }

        _commands.Validate(description, call, task);
        _options.Validate(description, call, task, ExportsDefault);
        if ((task.DoBody is not null || task.ElseDoBody is not null) && description.Body == OperatorBody.None)
        {
            Diagnostics.Error(task.Config.Find(TaskKeys.Do)?.Key.Location ?? call.Location, $"_do/_else_do are read only by {BodyOperators()}, not by {call.Name}>");
        }

        if (task.ElseDoBody is not null && description.Body != OperatorBody.DoAndElse)
        {
            Diagnostics.Error(task.Config.Find(TaskKeys.ElseDo)!.Key.Location, $"_else_do is read only by {BodyOperators(OperatorBody.DoAndElse)}");
        }
    }

    /// <summary>The operators that read bodies, for messages: "if>, loop>, for_each> and for_range>".</summary>
    private string BodyOperators(OperatorBody? only = null)
    {
        var names = _catalog.Names
            .Where(n => _catalog.Find(n)?.Body is { } body && body != OperatorBody.None && (only is null || body == only))
            .Select(n => n + ">")
            .ToList();
        return names.Count <= 1 ? string.Join(string.Empty, names) : string.Join(", ", names[..^1]) + " and " + names[^1];
    }

    /// <summary>Whether an enclosing <c>_export: {op: {option: ...}}</c> gives the option (always, for config made at run time).</summary>
    private bool ExportsDefault(string operatorName, string option) =>
        !_requireOptions || _exports.Any(e => e.Get(operatorName) is MappingNode defaults && defaults.Find(option) is not null);

    private void CheckGroupOnlyKeys(TaskDefinition task)
    {
        foreach (var key in new[] { TaskKeys.Do, TaskKeys.ElseDo })
        {
            if (task.Config.Find(key) is { } entry)
            {
                Diagnostics.Error(entry.Key.Location, $"{key} is read only by {BodyOperators()}; this task has no operator");
            }
        }
    }

    private MappingNode? ChildBody(ConfigEntry entry)
    {
        if (entry.Name.Length == 1)
        {
            Diagnostics.Error(entry.Key.Location, "a task name is needed after '+', e.g. +load");
            return null;
        }

        if (entry.Name.Contains('^', StringComparison.Ordinal))
        {
            Diagnostics.Error(entry.Key.Location, $"task name '{entry.Name}' may not contain '^' (reserved for generated tasks like ^error)");
            return null;
        }

        return entry.Value switch
        {
            MappingNode mapping => mapping,
            ScalarNode { IsNull: true } => new MappingNode([], entry.Value.Location),
            _ => Report(entry),
        };

        MappingNode? Report(ConfigEntry e)
        {
            Diagnostics.Error(e.Value.Location, $"{e.Name}: a task is a mapping (e.g. 'sh>: echo hi' on the next line, indented), got {ValueReader.Show(e.Value)}");
            return null;
        }
    }

    private TaskDefinition? Body(ConfigEntry entry, string name)
    {
        var mapping = _reader.Mapping(entry.Name, entry.Value);
        return mapping is null ? null : Parse(name, mapping, isRoot: false);
    }

    private MappingNode? Env(ConfigNode node)
    {
        var mapping = _reader.Mapping(TaskKeys.Env, node, allowNull: true);
        if (mapping is null)
        {
            return null;
        }

        foreach (var entry in mapping.Entries)
        {
            if (entry.Value is not ScalarNode)
            {
                Diagnostics.Error(entry.Value.Location, $"_env.{entry.Name}: an environment variable's value is a string, got {ValueReader.Show(entry.Value)}");
            }
        }

        return mapping;
    }

    private const string Docker = "docker";

    /// <summary>
    /// A plain key is a param, but one whose value holds an operator (<c>step1: {sh>: ...}</c>)
    /// was meant as a task: without the <c>+</c> it would never run. And <c>docker:</c>, Digdag's
    /// Docker command executor, would be ignored: the command would run on the host.
    /// </summary>
    private void CheckParamIsNotATask(ConfigEntry entry)
    {
        if (entry.Name == Docker)
        {
            RefuseDocker(entry);
        }
        else if (entry.Value is MappingNode value && value.Entries.FirstOrDefault(e => e.Name.EndsWith('>')) is { } op)
        {
            Diagnostics.Error(entry.Key.Location, $"'{entry.Name}' is read as a param, but its value runs {op.Name}; did you mean '+{entry.Name}'? (a task's name starts with '+')");
        }
    }

    private void RefuseDocker(ConfigEntry entry) =>
        Diagnostics.Error(entry.Key.Location, "docker: (Digdag's Docker command executor) is not supported by BatchOrchestrator, and the task would run on the host; use container: {image: ..., executor: local | kubernetes | aci} instead (see docs/executors.md)");

    private void WarnMissingUnderscore(ConfigEntry entry)
    {
        var directive = "_" + entry.Name;
        if (TaskKeys.Directives.Contains(directive) && entry.Name is not ("type" or "command" or "env" or "secrets"))
        {
            Diagnostics.Warning(entry.Key.Location, $"'{entry.Name}' is read as a param here; did you mean '{directive}'?");
        }
    }
}
