using BatchOrchestrator.Language.Diagnostics;

namespace BatchOrchestrator.Language.Tests.Diagnostics;

[TestClass]
public sealed class SuggestionsTests
{
    [TestMethod]
    public void A_typo_of_a_known_key_is_suggested()
    {
        Assert.AreEqual("_parallel", Suggestions.Closest("_paralel", ["_parallel", "_retry", "_error"]));
        Assert.AreEqual("_retry", Suggestions.Closest("_rerty", ["_parallel", "_retry", "_error"]));
    }

    [TestMethod]
    public void An_unrelated_word_gets_no_suggestion()
    {
        Assert.IsNull(Suggestions.Closest("_banana", ["_parallel", "_retry", "_error"]));
    }
}
