using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Parsing;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Language.Operators;

/// <summary>
/// One operator task under check, and how a validator reports on it: every message goes to the
/// check's diagnostics at a value's <c>file:line:col</c>, and the typed reads word "expected X,
/// got Y" as every other check does.
/// </summary>
public sealed class OperatorCheck
{
    private readonly ValueReader _reader;

    internal OperatorCheck(OperatorCall call, TaskDefinition task, ValueReader reader)
    {
        Call = call;
        Task = task;
        _reader = reader;
    }

    public OperatorCall Call { get; }

    public TaskDefinition Task { get; }

    /// <summary>The operator key as written, <c>name&gt;</c>, for messages.</summary>
    public string Key => $"{Call.Name}>";

    /// <summary>The value of <c>op&gt;:</c>; never null or empty when the operator's command is required.</summary>
    public ConfigNode? Command => Call.Command;

    /// <summary>An option as the task writes it, or null.</summary>
    public ConfigNode? Option(string name) => Task.Config.Get(name);

    /// <summary>Whether the value is a <c>${...}</c> string, decided when the task runs.</summary>
    public static bool IsTemplate(ConfigNode value) => ValueReader.Template(value) is not null;

    /// <summary>A short rendering of a value for messages: <c>'maybe'</c>, <c>a mapping</c>, <c>nothing</c>.</summary>
    public static string Show(ConfigNode value) => ValueReader.Show(value);

    /// <summary>"; did you mean 'x'?" for the closest of <paramref name="known"/>, or empty.</summary>
    public static string DidYouMean(string name, IEnumerable<string> known) => Suggestions.DidYouMean(name, known);

    public void Error(SourceLocation location, string message) => _reader.Diagnostics.Error(location, message);

    public void Warning(SourceLocation location, string message) => _reader.Diagnostics.Warning(location, message);

    /// <summary>The string, or null after reporting "expected a string".</summary>
    public string? String(string what, ConfigNode value) => _reader.String(what, value);

    public bool? Boolean(string what, ConfigNode value) => _reader.Boolean(what, value);

    /// <summary>A whole number at least <paramref name="minimum"/>, or null after reporting; <paramref name="hint"/> follows "expected ...".</summary>
    public int? Integer(string what, ConfigNode value, int minimum, string? hint = null) => _reader.Integer(what, value, minimum, hint);

    public MappingNode? Mapping(string what, ConfigNode value) => _reader.Mapping(what, value);
}
