using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Language.Tests.Templating;

/// <summary>
/// The hostile templates of the hardening probe (issue 18): each fails with a clear error instead of
/// burning CPU or memory. Budgets that do not depend on the machine (array length, memory, statements)
/// stop most of them; the wall-clock guards (regex timeout, deadline) stop the rest.
/// </summary>
[TestClass]
public sealed class TemplateLimitTests
{
    private static readonly TemplateEngine Engine = new();

    private static TemplateException Fails(string template, TemplateEngine? engine = null) =>
        Assert.ThrowsExactly<TemplateException>(() => (engine ?? Engine).Render(template, ParamSet.Parse("""{"s":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}""")));

    [TestMethod]
    public void A_backtracking_regex_is_stopped_by_the_regex_timeout()
    {
        var ex = Fails("${/^(a+)+$/.test(s)}");
        Assert.AreEqual(TemplateErrorKind.LimitExceeded, ex.Kind);
        StringAssert.Contains(ex.Message, "regular expression");
        StringAssert.Contains(ex.Message, "${/^(a+)+$/.test(s)}");
    }

    [TestMethod]
    public void A_huge_array_is_refused_before_it_is_built()
    {
        var join = Fails("${new Array(1e9).join()}");
        var stringify = Fails("${JSON.stringify(Array.apply(null, Array(1e7)))}");

        foreach (var ex in new[] { join, stringify })
        {
            Assert.AreEqual(TemplateErrorKind.LimitExceeded, ex.Kind);
            StringAssert.Contains(ex.Message, "made an array longer than 1,000,000 elements");
        }
    }

    [TestMethod]
    public void A_string_doubled_in_a_loop_is_stopped_by_the_memory_budget()
    {
        foreach (var template in new[]
        {
            "${(function(){ var s = 'x'; for (var i = 0; i < 40; i++) { s += s; } return s.length; })()}",
            "${(function(){ var s = 'x'; for (var i = 0; i < 40; i++) { s = s + s; } return s.length; })()}",
        })
        {
            var ex = Fails(template);
            Assert.AreEqual(TemplateErrorKind.LimitExceeded, ex.Kind, template);
            StringAssert.Contains(ex.Message, "allocated more than 32 MiB", template);
        }
    }

    [TestMethod]
    public void A_budget_stops_a_template_the_same_way_every_time()
    {
        // Replays of an orchestration render the same templates again: the error must not depend on timing.
        var template = "${(function(){ var a = []; for (;;) { a.push(a.length); } })()}";
        var first = Fails(template);
        var second = Fails(template);
        Assert.AreEqual(first.Message, second.Message);
        StringAssert.Contains(first.Message, "ran more than 100,000 JavaScript statements");
    }

    [TestMethod]
    public void The_deadline_reaches_inside_one_long_built_in_call()
    {
        // No statement, array or memory budget counts a join of empty strings: only the deadline can stop it.
        var engine = new TemplateEngine(new TemplateEngineOptions { Timeout = TimeSpan.FromMilliseconds(50), MaxArrayLength = uint.MaxValue });
        var ex = Fails("${new Array(4e9).join('').length}", engine);
        Assert.AreEqual(TemplateErrorKind.LimitExceeded, ex.Kind);
        StringAssert.Contains(ex.Message, "did not finish within 50 ms");
    }

    [TestMethod]
    public void Cancellation_stops_an_evaluation_in_progress()
    {
        var engine = new TemplateEngine(new TemplateEngineOptions { Timeout = TimeSpan.FromMinutes(10), MaxStatements = int.MaxValue, MaxArrayLength = uint.MaxValue });
        using var kill = new CancellationTokenSource();
        var started = new ManualResetEventSlim();
        var render = Task.Run(() =>
        {
            started.Set();
            return engine.Render("${new Array(4e9).join('').length}", ParamSet.Empty, cancellationToken: kill.Token);
        });
        started.Wait();
        kill.Cancel();

        var ex = Assert.ThrowsExactly<AggregateException>(() => render.Wait(TimeSpan.FromMinutes(2)));
        Assert.IsInstanceOfType<OperationCanceledException>(ex.InnerException);
    }

    [TestMethod]
    public void An_already_cancelled_render_does_not_start()
    {
        using var kill = new CancellationTokenSource();
        kill.Cancel();
        Assert.ThrowsExactly<OperationCanceledException>(() => Engine.Render("${1 + 1}", ParamSet.Empty, cancellationToken: kill.Token));
    }
}
