using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Language.Parsing;

/// <summary>Typed reads of config values that report "expected X, got Y" at the value's position.</summary>
internal sealed class ValueReader(DiagnosticBag diagnostics)
{
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public bool? Boolean(string key, ConfigNode node)
    {
        if (node is ScalarNode scalar && scalar.TryGetBoolean(out var value))
        {
            return value;
        }

        Diagnostics.Error(node.Location, $"{key}: expected true or false, got {Show(node)}");
        return null;
    }

    /// <summary>An integer at least <paramref name="minimum"/>, or null (reported) when the value is not one.</summary>
    public int? Integer(string key, ConfigNode node, int minimum, string? hint = null)
    {
        if (node is ScalarNode scalar && scalar.TryGetInteger(out var value) && value >= minimum && value <= int.MaxValue)
        {
            return (int)value;
        }

        var expected = minimum == 0 ? "a whole number ≥ 0" : $"a whole number ≥ {minimum}";
        Diagnostics.Error(node.Location, $"{key}: expected {expected}{hint}, got {Show(node)}");
        return null;
    }

    public string? String(string key, ConfigNode node, bool allowEmpty = false)
    {
        if (node is ScalarNode scalar && !scalar.IsNull && (allowEmpty || scalar.Value.Length > 0))
        {
            return scalar.Value;
        }

        Diagnostics.Error(node.Location, $"{key}: expected a string, got {Show(node)}");
        return null;
    }

    public MappingNode? Mapping(string key, ConfigNode node, bool allowNull = false)
    {
        if (node is MappingNode mapping)
        {
            return mapping;
        }

        if (allowNull && node is ScalarNode { IsNull: true })
        {
            return new MappingNode([], node.Location);
        }

        Diagnostics.Error(node.Location, $"{key}: expected a mapping (key: value lines indented under it), got {Show(node)}");
        return null;
    }

    /// <summary>The template text when the value is a <c>${...}</c> string, else null.</summary>
    public static string? Template(ConfigNode node) =>
        node is ScalarNode { IsNull: false } scalar && TemplateText.ContainsTemplate(scalar.Value) ? scalar.Value : null;

    /// <summary>A short rendering of a value for messages: <c>'maybe'</c>, <c>a mapping</c>, <c>nothing</c>.</summary>
    public static string Show(ConfigNode node) => node switch
    {
        ScalarNode { IsNull: true } => "nothing",
        ScalarNode scalar => $"'{Truncate(scalar.Value)}'",
        _ => $"a {node.KindName}",
    };

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..37] + "...";
}
