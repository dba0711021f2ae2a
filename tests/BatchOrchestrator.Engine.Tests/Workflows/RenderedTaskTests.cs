using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// What a task's rendering gives the operator: its own keys evaluated (bodies left out), the
/// operator's value, <c>_env</c> as text (strings as they are, null as empty, anything else as
/// JSON), and the same keys as one JSON element for operator requests.
/// </summary>
[TestClass]
public sealed class RenderedTaskTests
{
    private static readonly TaskParamsBuilder Builder = new(new TemplateEngine());

    private static RenderedTask Render(object config)
    {
        var mapping = (MappingNode)ConfigNodeJson.FromJson(JsonSerializer.SerializeToElement(config), new SourceLocation("t.dig", 1, 1));
        var scope = ParamScope.Empty.WithExport(JsonSerializer.SerializeToElement(new { name = "café", n = 7 }), new ParamSequence(1));
        return Builder.Build(mapping, scope, ParamSet.Empty, ParamSet.Empty, DateTimeOffset.UnixEpoch);
    }

    [TestMethod]
    public void A_templated_task_gives_its_command_environment_and_keys_evaluated()
    {
        var rendered = Render(new Dictionary<string, object?>
        {
            ["sh>"] = "echo ${name}",
            ["_env"] = new Dictionary<string, object?> { ["NAME"] = "${name}", ["COUNT"] = 3, ["ON"] = true, ["MAP"] = new { k = "ü" }, ["NONE"] = null },
            ["timeout"] = "${n}s",
            ["_do"] = new Dictionary<string, object> { ["+inner"] = new Dictionary<string, string> { ["echo>"] = "later ${name}" } },
        });

        Assert.AreEqual("echo café", rendered.Command.GetString());
        Assert.AreEqual("café", rendered.Environment["NAME"]);
        Assert.AreEqual("3", rendered.Environment["COUNT"]);
        Assert.AreEqual("true", rendered.Environment["ON"]);
        Assert.AreEqual(new JsonObject { ["k"] = "ü" }.ToJsonString(), rendered.Environment["MAP"]);
        Assert.AreEqual(string.Empty, rendered.Environment["NONE"]);
        Assert.AreEqual("7s", rendered.Option("timeout")?.GetValue<string>());
        Assert.IsNull(rendered.Option("_do"), "bodies are rendered when they run");
        Assert.IsTrue(JsonNode.DeepEquals(rendered.Config, JsonNode.Parse(rendered.ConfigElement().GetRawText())), rendered.ConfigElement().GetRawText());
    }

    [TestMethod]
    public void A_task_without_templates_gives_its_keys_as_written_and_each_rendering_its_own_object()
    {
        var config = new Dictionary<string, object> { ["echo>"] = "plain", ["_retry"] = 2 };
        var mapping = (MappingNode)ConfigNodeJson.FromJson(JsonSerializer.SerializeToElement(config), new SourceLocation("t.dig", 1, 1));

        var first = Builder.Build(mapping, ParamScope.Empty, ParamSet.Empty, ParamSet.Empty, DateTimeOffset.UnixEpoch);
        first.Config["_retry"] = 5;
        var second = Builder.Build(mapping, ParamScope.Empty, ParamSet.Empty, ParamSet.Empty, DateTimeOffset.UnixEpoch);

        Assert.AreEqual("plain", second.Command.GetString());
        Assert.AreEqual(2, second.Option("_retry")?.GetValue<int>(), "a change to one task's rendered keys is not seen by the next rendering");
        Assert.IsTrue(JsonNode.DeepEquals(new JsonObject { ["echo>"] = "plain", ["_retry"] = 2 }, JsonNode.Parse(second.ConfigElement().GetRawText())), second.ConfigElement().GetRawText());
    }

    [TestMethod]
    public void Keys_built_by_hand_are_written_out_for_a_request()
    {
        var rendered = new RenderedTask(ParamSet.Empty, new JsonObject { ["echo>"] = "hi" }, default, new Dictionary<string, string>());

        Assert.AreEqual("hi", rendered.ConfigElement().GetProperty("echo>").GetString());
    }
}
