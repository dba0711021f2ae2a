using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Language.Tests.Templating;

/// <summary>moment.js as Digdag has it: the real library, formatting in the workflow's timezone.</summary>
[TestClass]
public sealed class MomentTests
{
    private static readonly TemplateEngine Engine = new();

    private static ParamSet Params(string timezone) => ParamSet.Parse($$"""{"timezone":"{{timezone}}","session_time":"2026-11-21T00:00:00+09:00"}""");

    [TestMethod]
    public void The_documented_date_arithmetic_formats_in_the_workflows_timezone()
    {
        Assert.AreEqual("2026-11-22", Engine.Render("${moment(session_time).add(1, 'days').format('YYYY-MM-DD')}", Params("Asia/Tokyo")));
        Assert.AreEqual("2026-11-21", Engine.Render("${moment(session_time).add(1, 'days').format('YYYY-MM-DD')}", Params("UTC")));
        Assert.AreEqual("2026-11-20T07:00:00-08:00", Engine.Render("${moment(session_time).format()}", Params("America/Los_Angeles")));
        Assert.AreEqual("20261120", Engine.Render("${moment(session_time).subtract(1, 'days').format('YYYYMMDD')}", Params("Asia/Tokyo")));
    }

    [TestMethod]
    public void Now_is_the_instant_the_render_is_given()
    {
        var now = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.AreEqual("2030-01-02T12:04:05+09:00", Engine.Render("${moment().format()}", Params("Asia/Tokyo"), now));
        Assert.AreEqual("2030-01-02T03:04:05.000Z", Engine.Render("${new Date().toISOString()}", Params("UTC"), now));
    }

    [TestMethod]
    public void Without_an_instant_now_comes_from_the_engines_clock()
    {
        var clock = new FixedClock(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var engine = new TemplateEngine(new TemplateEngineOptions { Clock = clock });
        Assert.AreEqual("2031-05-06 07:08", engine.Render("${moment().format('YYYY-MM-DD HH:mm')}", Params("UTC")));
    }

    [TestMethod]
    public void Moment_is_a_library_not_a_param_to_give()
    {
        CollectionAssert.AreEqual(new[] { "session_time" }, Engine.ReferencedVariables("${moment(session_time).format('YYYY')}").ToArray());
    }

    [TestMethod]
    public async Task Bo_check_does_not_ask_for_moment_as_a_param()
    {
        var result = await TestWorkflows.LoadAsync("""
            +a:
              echo>: ${moment(session_time).add(1, 'days').format('YYYY-MM-DD')}
            """);

        Assert.IsTrue(result.IsValid);
        CollectionAssert.AreEqual(new[] { "session_time" }, result.ParamsUsed.ToArray());
        Assert.IsEmpty(result.ParamsFromOutside);
    }

    [TestMethod]
    public void A_param_named_moment_wins_over_the_library()
    {
        Assert.AreEqual("mine", Engine.Render("${moment}", ParamSet.Parse("""{"moment":"mine"}""")));
    }

    [TestMethod]
    public void A_template_cannot_change_moment_for_another_render()
    {
        Assert.AreEqual("x", Engine.Render("${(moment.fn.format = function(){ return 'x'; })() }", Params("UTC")));
        Assert.AreEqual("2026", Engine.Render("${moment(session_time).format('YYYY')}", Params("UTC")));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
