using System.Text.Json;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Language.Tests.Compat;

/// <summary>
/// Digdag's own template-engine cases (<c>../shared/compat/digdag-eval</c>, see its NOTICE.md): each
/// <c>NAME.dig</c> rendered with only <c>timezone</c> as a param must give <c>NAME_expected*.dig</c>, as
/// Digdag's <c>ConfigEvalEngine.eval(config, params)</c> does — both as a config rendered against params
/// and as a task's own keys rendered key by key.
/// </summary>
[TestClass]
public sealed class DigdagEvalTests
{
    private static readonly TemplateEngine Engine = new();

    /// <summary>Each case file with its expected file and the <c>timezone</c> Digdag's test renders it in.</summary>
    public static IEnumerable<(string File, string ExpectedFile, string Timezone)> Cases =>
    [
        ("basic.dig", "basic_expected.dig", "UTC"),
        ("literal.dig", "literal_expected.dig", "UTC"),
        ("template.dig", "template_expected.dig", "UTC"),
        ("moment.dig", "moment_expected.dig", "UTC"),
        ("moment.dig", "moment_expected_jst.dig", "Asia/Tokyo"),
        ("moment.dig", "moment_expected_pst_pdt.dig", "America/Los_Angeles"),
    ];

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void A_config_renders_as_digdag_renders_it(string file, string expectedFile, string timezone)
    {
        var config = Read(file);
        var expected = Read(expectedFile);
        var parameters = ParamSet.Parse(JsonSerializer.Serialize(new { timezone }));

        AssertSame(expected, Engine.RenderJson(config, parameters), file);
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void A_tasks_own_keys_render_key_by_key_as_digdag_renders_them(string file, string expectedFile, string timezone)
    {
        var layers = TaskParamLayers.OnlyLocal(ParamSet.FromJson(Read(file)));
        var session = ParamSet.Parse(JsonSerializer.Serialize(new { timezone }));

        var rendered = Engine.RenderParams(TaskParamResolver.Resolve(layers, session, ParamSet.Empty)).Without("timezone");

        AssertSame(Read(expectedFile), rendered.ToJson(), file);
    }

    private static void AssertSame(JsonElement expected, JsonElement actual, string file)
    {
        foreach (var property in expected.EnumerateObject())
        {
            Assert.IsTrue(actual.TryGetProperty(property.Name, out var value), $"{file}: no key {property.Name} in {actual.GetRawText()}");
            Assert.IsTrue(JsonElement.DeepEquals(property.Value, value), $"{file}: key {property.Name} is {value}, Digdag's is {property.Value}");
        }

        Assert.AreEqual(expected.EnumerateObject().Count(), actual.EnumerateObject().Count(), $"{file}: {actual.GetRawText()}");
    }

    private static JsonElement Read(string file)
    {
        var path = Path.Combine(EvalRoot(), file);
        var diagnostics = new DiagnosticBag();
        var parsed = YamlTreeBuilder.Build(File.ReadAllText(path), path, YamlLimits.Default, diagnostics);
        Assert.IsNotNull(parsed, string.Join("\n", diagnostics.Items));
        return parsed.Root.ToJson();
    }

    private static string EvalRoot() => TestSupport.SharedFolder.Find("compat/digdag-eval");
}
