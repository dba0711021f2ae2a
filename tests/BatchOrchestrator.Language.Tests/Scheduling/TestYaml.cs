using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Syntax;
using YamlDotNet.RepresentationModel;

namespace BatchOrchestrator.Language.Tests.Scheduling;

/// <summary>Turns YAML text into positioned config nodes, so tests state inputs the way users write them.</summary>
internal static class TestYaml
{
    public const string File = "wf.dig";

    public static ConfigNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode);
    }

    /// <summary>The value of the top-level <c>schedule:</c> key.</summary>
    public static ConfigNode Schedule(string yaml) => ((MappingNode)Parse(yaml)).Get("schedule")!;

    private static ConfigNode Convert(YamlNode node)
    {
        var location = new SourceLocation(File, (int)node.Start.Line, (int)node.Start.Column);
        return node switch
        {
            YamlScalarNode scalar => new ScalarNode(scalar.Value ?? string.Empty, Style(scalar.Style), location),
            YamlMappingNode mapping => new MappingNode(
                mapping.Children.Select(pair => new ConfigEntry((ScalarNode)Convert(pair.Key), Convert(pair.Value))).ToList(),
                location),
            YamlSequenceNode sequence => new SequenceNode(sequence.Children.Select(Convert).ToList(), location),
            _ => throw new NotSupportedException(node.GetType().Name),
        };
    }

    private static ScalarStyle Style(YamlDotNet.Core.ScalarStyle style) => style switch
    {
        YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted => ScalarStyle.Quoted,
        YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded => ScalarStyle.Block,
        _ => ScalarStyle.Plain,
    };
}
