using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Functions.Tests.Harness;
using BatchOrchestrator.ThirdPartyOperator;

namespace BatchOrchestrator.Functions.Tests.Suite;

/// <summary>
/// A third party's operator, registered through each host's extension point (LocalEngineOptions on
/// the embedded runtime, the Functions composition's extra operators on the Durable Task worker):
/// it runs as an activity and its stored param flows on, with no change to the Language or the Engine.
/// </summary>
public abstract partial class ConformanceSuite
{
    [TestMethod]
    public async Task A_third_party_operator_registered_by_the_host_runs_and_stores_its_param()
    {
        await using var scenario = await ScenarioAsync("third_party", new RuntimeSettings { ExtraOperators = [WordCountOperator.Definition] });

        var run = await scenario.RunAsync("word_count");

        Assert.AreEqual(AttemptStatus.Success, run.Attempt.Status, run.Describe());
        Assert.AreEqual("counted 4\n", scenario.Read("out.txt"));
        Assert.AreEqual("""{"word_count":{"count":4}}""", run.StoreParams("+word_count+count"));
        Assert.AreEqual("word_count>: words.txt has 4 words (at least 3 wanted)\n", await scenario.LogAsync(run, "+word_count+count"));
    }
}
