using System.Text.Json;
using BatchOrchestrator.Engine.Workflows.Params;

namespace BatchOrchestrator.Engine.Tests.Workflows;

[TestClass]
public sealed class StoreParamsTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [TestMethod]
    public void A_store_is_one_layer_per_sequence_in_order_asked_for_once_or_many_times()
    {
        var store = StoreParams.Empty
            .With(Json("""{"b":1,"a":2}"""), [], new ParamSequence(5))
            .With(Json("""{"c":3}"""), [], new ParamSequence(2, "1.1"))
            .With(Json("""{"b":4}"""), [], new ParamSequence(9));

        string Describe(IReadOnlyList<(ParamSequence Sequence, Language.Parameters.ParamSet Values)> layers) =>
            string.Join(" ", layers.Select(l => $"{l.Sequence}:{l.Values.ToJsonString()}"));

        var first = store.ToLayers();
        Assert.AreEqual("""2@1.1:{"c":3} 5:{"a":2} 9:{"b":4}""", Describe(first));
        Assert.AreSame(first, store.ToLayers());
    }

    [TestMethod]
    public void A_copy_with_other_values_has_its_own_layers_and_equality_is_still_that_of_the_values()
    {
        var store = StoreParams.Empty.With(Json("""{"a":1}"""), [], new ParamSequence(1));
        _ = store.ToLayers();
        var other = StoreParams.Empty.With(Json("""{"b":2}"""), [], new ParamSequence(2));

        var copy = store with { Values = other.Values };

        Assert.AreEqual("""{"b":2}""", copy.ToLayers().Single().Values.ToJsonString());
        Assert.AreEqual(other, copy);
        Assert.AreEqual(other.GetHashCode(), copy.GetHashCode());
        Assert.AreNotEqual(store, copy);
        Assert.AreEqual(store, new StoreParams(store.Values));
    }
}
