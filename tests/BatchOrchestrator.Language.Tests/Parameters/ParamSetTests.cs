using System.Text.Json;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Language.Tests.Parameters;

[TestClass]
public sealed class ParamSetTests
{
    [TestMethod]
    public void A_param_set_is_immutable()
    {
        var original = ParamSet.Parse("""{"a":1}""");
        var changed = original.With("b", "x").Without("a");

        Assert.AreEqual("""{"a":1}""", original.ToJsonString());
        Assert.AreEqual("""{"b":"x"}""", changed.ToJsonString());
    }

    [TestMethod]
    public void Values_outlive_the_document_they_came_from()
    {
        ParamSet set;
        using (var document = JsonDocument.Parse("""{"a":{"b":[1,2]}}"""))
        {
            set = ParamSet.FromJson(document.RootElement);
        }

        Assert.AreEqual(2, set.Get("a").GetProperty("b")[1].GetInt32());
    }

    [TestMethod]
    public void Merging_is_deep_for_objects_and_replaces_everything_else()
    {
        var under = ParamSet.Parse("""{"td":{"database":"a","engine":"presto"},"list":[1,2],"n":1,"keep":true}""");
        var over = ParamSet.Parse("""{"td":{"database":"b","table":"t"},"list":[3],"n":{"x":1},"new":null}""");

        var merged = under.MergedWith(over);

        Assert.AreEqual(
            """{"td":{"database":"b","engine":"presto","table":"t"},"list":[3],"n":{"x":1},"keep":true,"new":null}""",
            merged.ToJsonString());
    }

    [TestMethod]
    public void A_merger_merges_in_turn_as_merged_with_does_and_leaves_its_start_alone()
    {
        var start = ParamSet.Parse("""{"td":{"database":"a"},"n":1}""");
        var layers = new[]
        {
            ParamSet.Parse("""{"td":{"engine":"presto"},"x":[1]}"""),
            ParamSet.Empty,
            ParamSet.Parse("""{"n":{"deep":true},"td":{"database":"b"}}"""),
            ParamSet.Parse("""{"x":[2],"y":"last"}"""),
        };

        var merger = start.ToMerger();
        foreach (var layer in layers)
        {
            merger.Merge(layer);
        }

        var expected = layers.Aggregate(start, (set, layer) => set.MergedWith(layer));
        Assert.AreEqual(expected.ToJsonString(), merger.ToParamSet().ToJsonString());
        Assert.AreEqual("""{"td":{"database":"b","engine":"presto"},"n":{"deep":true},"x":[2],"y":"last"}""", expected.ToJsonString());
        Assert.IsTrue(merger.TryGet("y", out var y) && y.GetString() == "last");
        Assert.AreEqual("""{"td":{"database":"a"},"n":1}""", start.ToJsonString());
    }

    [TestMethod]
    public void Json_round_trips_in_insertion_order()
    {
        const string json = """{"z":1,"a":"two","m":[true,null]}""";
        var set = ParamSet.Parse(json);
        Assert.AreEqual(json, set.ToJsonString());
        CollectionAssert.AreEqual(new[] { "z", "a", "m" }, set.Keys.ToArray());
        Assert.AreEqual(set, ParamSet.FromJson(set.ToJson()));
    }

    [TestMethod]
    public void Get_of_a_missing_name_suggests_the_closest()
    {
        var set = ParamSet.Parse("""{"session_date":"2026-11-21"}""");
        var ex = Assert.ThrowsExactly<KeyNotFoundException>(() => set.Get("sesion_date"));
        StringAssert.Contains(ex.Message, "'sesion_date'");
        StringAssert.Contains(ex.Message, "did you mean 'session_date'?");
        Assert.IsFalse(set.TryGet("nope", out _));
        Assert.IsTrue(set.TryGet("session_date", out var value));
        Assert.AreEqual("2026-11-21", value.GetString());
    }

    [TestMethod]
    public void Only_a_json_object_makes_a_param_set()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => ParamSet.Parse("[1,2]"));
        StringAssert.Contains(ex.Message, "must be a JSON object");
        StringAssert.Contains(ex.Message, "list");
        Assert.ThrowsExactly<ArgumentException>(() => ParamSet.Parse("{not json"));
    }

    [TestMethod]
    public void Equality_is_structural()
    {
        Assert.AreEqual(ParamSet.Parse("""{"a":1,"b":{"c":[1]}}"""), ParamSet.Parse("""{"b":{"c":[1]},"a":1}"""));
        Assert.AreNotEqual(ParamSet.Parse("""{"a":1}"""), ParamSet.Parse("""{"a":2}"""));
    }
}
