using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Language.Tests.Parameters;

[TestClass]
public sealed class ParallelStoreJoinTests
{
    private static ParamSet P(string json) => ParamSet.Parse(json);

    [TestMethod]
    public void The_last_branch_in_submission_order_wins()
    {
        var fork = P("""{"x":0}""");
        var joined = ParallelStoreJoin.Join(fork, [P("""{"x":"a"}"""), P("""{"x":"b"}""")]);
        Assert.AreEqual("b", joined.Get("x").GetString());
    }

    [TestMethod]
    public void A_branch_that_did_not_touch_a_value_does_not_undo_another_branch()
    {
        var fork = P("""{"x":0,"y":0}""");
        var joined = ParallelStoreJoin.Join(fork, [P("""{"x":"a","y":0}"""), P("""{"x":0,"y":"b"}""")]);
        Assert.AreEqual("""{"x":"a","y":"b"}""", joined.ToJsonString());
    }

    [TestMethod]
    public void Changes_to_different_keys_of_one_object_are_all_kept()
    {
        var fork = P("""{"o":{"a":0,"b":0}}""");
        var joined = ParallelStoreJoin.Join(fork, [P("""{"o":{"a":1,"b":0}}"""), P("""{"o":{"a":0,"b":2},"new":true}""")]);
        Assert.AreEqual("""{"o":{"a":1,"b":2},"new":true}""", joined.ToJsonString());
    }

    [TestMethod]
    public void A_branch_that_removed_a_value_removes_it()
    {
        var joined = ParallelStoreJoin.Join(P("""{"x":1,"y":2}"""), [P("""{"x":1}"""), P("""{"x":1,"y":2}""")]);
        Assert.AreEqual("""{"x":1}""", joined.ToJsonString());
    }
}
