using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Language.Tests.Scheduling;

/// <summary>Turns YAML text into positioned config nodes with the product's own reader, so tests state inputs the way users write them.</summary>
internal static class TestYaml
{
    public const string File = "wf.dig";

    public static ConfigNode Parse(string yaml)
    {
        var diagnostics = new DiagnosticBag();
        var node = YamlTreeBuilder.Build(yaml, File, YamlLimits.Default, diagnostics);
        Assert.IsFalse(diagnostics.HasErrors, string.Join("\n", diagnostics.Items));
        return node!.Root;
    }

    /// <summary>The value of the top-level <c>schedule:</c> key.</summary>
    public static ConfigNode Schedule(string yaml) => ((MappingNode)Parse(yaml)).Get("schedule")!;
}
