using System.Diagnostics;
using System.Text.Json;
using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Language.Tests.Templating;

[TestClass]
public sealed class TemplateEngineTests
{
    private static readonly TemplateEngine Engine = new();

    private static ParamSet Params(string json) => ParamSet.Parse(json);

    private static string Render(string template, string json = "{}") => Engine.Render(template, Params(json));

    [TestMethod]
    public void Expressions_are_javascript_with_params_as_globals()
    {
        Assert.AreEqual("2", Render("${1+1}"));
        Assert.AreEqual("run 2026-11-21 now", Render("run ${session_date} now", """{"session_date":"2026-11-21"}"""));
        Assert.AreEqual("boom", Render("${error.message}", """{"error":{"message":"boom"}}"""));
        Assert.AreEqual("1-3", Render("${range.from}-${range.to}", """{"range":{"from":1,"to":3}}"""));
        Assert.AreEqual("20261121", Render("${session_date.replace(/-/g, '')}", """{"session_date":"2026-11-21"}"""));
        Assert.AreEqual("big", Render("${n > 10 ? 'big' : 'small'}", """{"n":11}"""));
    }

    [TestMethod]
    public void Non_string_results_are_json_stringified_as_javascript_prints_them()
    {
        Assert.AreEqual("0.30000000000000004", Render("${0.1+0.2}"));
        Assert.AreEqual("1e+21", Render("${1e21}"));
        Assert.AreEqual("true", Render("${flag}", """{"flag":true}"""));
        Assert.AreEqual("""{"a":1,"b":[1,"x",null]}""", Render("${obj}", """{"obj":{"a":1,"b":[1,"x",null]}}"""));
        Assert.AreEqual("[1,2]", Render("${[1,2]}"));
        Assert.AreEqual("1.5", Render("${x}", """{"x":1.5}"""));
        Assert.AreEqual("12", Render("${x}", """{"x":12}"""));
    }

    [TestMethod]
    public void Null_and_undefined_render_as_empty_text()
    {
        Assert.AreEqual("[]", Render("[${x}]", """{"x":null}"""));
        Assert.AreEqual("[]", Render("[${o.missing}]", """{"o":{}}"""));
    }

    [TestMethod]
    public void Double_dollar_escapes_a_dollar()
    {
        Assert.AreEqual("${x}", Render("$${x}", """{"x":1}"""));
        Assert.AreEqual("cost: $5", Render("cost: $$5"));
        Assert.AreEqual("$1", Render("$$${x}", """{"x":1}"""));
        Assert.AreEqual("a $ alone", Render("a $ alone"));
    }

    [TestMethod]
    public void Secret_templates_are_left_exactly_as_written()
    {
        Assert.AreEqual("Bearer ${secret:api.token} for 7", Render("Bearer ${secret:api.token} for ${x}", """{"x":7}"""));
    }

    [TestMethod]
    public void An_undefined_variable_fails_naming_the_variable_and_the_template()
    {
        var ex = Assert.ThrowsExactly<TemplateException>(() => Render("echo ${sesion_date}", """{"session_date":"2026-11-21"}"""));
        Assert.AreEqual(TemplateErrorKind.UndefinedVariable, ex.Kind);
        Assert.AreEqual("sesion_date", ex.Variable);
        StringAssert.Contains(ex.Message, "'sesion_date'");
        StringAssert.Contains(ex.Message, "echo ${sesion_date}");
        StringAssert.Contains(ex.Message, "did you mean 'session_date'?");
    }

    [TestMethod]
    public void Typeof_checks_for_optional_params_work()
    {
        Assert.AreEqual("default", Render("${typeof env === 'undefined' ? 'default' : env}"));
        Assert.AreEqual("prod", Render("${typeof env === 'undefined' ? 'default' : env}", """{"env":"prod"}"""));
    }

    [TestMethod]
    public void An_endless_loop_fails_fast_with_a_clear_message()
    {
        var watch = Stopwatch.StartNew();
        var statement = Assert.ThrowsExactly<TemplateException>(() => Render("${while(true){}}"));
        var loop = Assert.ThrowsExactly<TemplateException>(() => Render("${(function(){ while(true){} })()}"));
        watch.Stop();

        Assert.AreEqual(TemplateErrorKind.Syntax, statement.Kind);
        Assert.AreEqual(TemplateErrorKind.LimitExceeded, loop.Kind);
        StringAssert.Contains(loop.Message, "${(function(){ while(true){} })()}");
        StringAssert.Contains(loop.Message, "loop forever");
        // Stopped by the 200 ms limit, not left hanging; generous, so a loaded machine does not fail it.
        Assert.IsLessThan(10_000, watch.ElapsedMilliseconds, $"took {watch.ElapsedMilliseconds} ms");
    }

    [TestMethod]
    public void The_time_limit_stops_a_long_computation()
    {
        var engine = new TemplateEngine(new TemplateEngineOptions { Timeout = TimeSpan.FromMilliseconds(50), MaxStatements = int.MaxValue });
        var ex = Assert.ThrowsExactly<TemplateException>(() => engine.Render("${(function(){ while(true){} })()}", ParamSet.Empty));
        Assert.AreEqual(TemplateErrorKind.LimitExceeded, ex.Kind);
        StringAssert.Contains(ex.Message, "did not finish within 50 ms");
    }

    [TestMethod]
    public void Endless_recursion_is_stopped()
    {
        var ex = Assert.ThrowsExactly<TemplateException>(() => Render("${(function f(){ return f(); })()}"));
        Assert.AreEqual(TemplateErrorKind.LimitExceeded, ex.Kind);
        StringAssert.Contains(ex.Message, "deeper than 64");
    }

    [TestMethod]
    public void The_allocation_limit_stops_a_template_that_grows_memory()
    {
        var engine = new TemplateEngine(new TemplateEngineOptions { MaxAllocatedBytes = 8L * 1024 * 1024, Timeout = TimeSpan.FromSeconds(30) });
        var ex = Assert.ThrowsExactly<TemplateException>(() =>
            engine.Render("${(function(){ var s = 'x'; for (var i = 0; i < 40; i++) { s += s; } return s.length; })()}", ParamSet.Empty));
        Assert.AreEqual(TemplateErrorKind.LimitExceeded, ex.Kind);
        StringAssert.Contains(ex.Message, "allocated more than 8 MiB");
    }

    [TestMethod]
    public void Small_functions_still_work_under_the_guards()
    {
        Assert.AreEqual("a,b", Render("${(function(xs){ var out = []; for (var i = 0; i < xs.length; i++) { out.push(xs[i]); } return out.join(','); })(list)}", """{"list":["a","b"]}"""));
    }

    [TestMethod]
    public void Templates_have_no_access_to_the_clr()
    {
        Assert.AreEqual(TemplateErrorKind.UndefinedVariable, Assert.ThrowsExactly<TemplateException>(() => Render("${System.IO.File}")).Kind);
        Assert.AreEqual(TemplateErrorKind.UndefinedVariable, Assert.ThrowsExactly<TemplateException>(() => Render("${importNamespace('System')}")).Kind);
    }

    [TestMethod]
    public void Invalid_javascript_is_a_syntax_error_quoting_the_expression()
    {
        var ex = Assert.ThrowsExactly<TemplateException>(() => Render("x=${a +}", """{"a":1}"""));
        Assert.AreEqual(TemplateErrorKind.Syntax, ex.Kind);
        StringAssert.Contains(ex.Message, "${a +}");
        StringAssert.Contains(ex.Message, "not a valid JavaScript expression");

        var statements = Assert.ThrowsExactly<TemplateException>(() => Render("${a); (a}", """{"a":1}"""));
        StringAssert.Contains(statements.Message, "single JavaScript expression");
    }

    [TestMethod]
    public void Only_es5_syntax_is_accepted_as_in_digdags_nashorn()
    {
        foreach (var template in new[] { "${[1].map(x => x)}", "${`a`}", "${(function(){ let a = 1; return a; })()}" })
        {
            Assert.AreEqual(TemplateErrorKind.Syntax, Assert.ThrowsExactly<TemplateException>(() => Render(template)).Kind, template);
        }

        Assert.AreEqual("[2,4]", Render("${[1, 2].map(function(x){ return x * 2; })}"));
    }

    [TestMethod]
    public void Script_errors_are_reported_with_their_javascript_message()
    {
        var thrown = Assert.ThrowsExactly<TemplateException>(() => Render("${(function(){ throw new Error('boom'); })()}"));
        Assert.AreEqual(TemplateErrorKind.ScriptError, thrown.Kind);
        StringAssert.Contains(thrown.Message, "Error: boom");

        var nullRead = Assert.ThrowsExactly<TemplateException>(() => Render("${a.b.c}", """{"a":{}}"""));
        StringAssert.Contains(nullRead.Message, "TypeError");

        var function = Assert.ThrowsExactly<TemplateException>(() => Render("${Math.max}"));
        StringAssert.Contains(function.Message, "function");
    }

    [TestMethod]
    public void One_render_cannot_affect_another()
    {
        Assert.AreEqual("1", Render("${(leak = 1)}"));
        Assert.AreEqual(TemplateErrorKind.UndefinedVariable, Assert.ThrowsExactly<TemplateException>(() => Render("${leak}")).Kind);

        Assert.AreEqual("2", Render("${(o.x = 2)}", """{"o":{"x":1}}"""));
        Assert.AreEqual("1", Render("${o.x}", """{"o":{"x":1}}"""));
    }

    [TestMethod]
    public void Javascript_dates_do_not_depend_on_the_host_time_zone()
    {
        Assert.AreEqual("1970-01-01T00:00:00.000Z", Render("${new Date(0).toISOString()}"));
        Assert.AreEqual("0", Render("${new Date(0).getHours()}"));
    }

    [TestMethod]
    public void Javascript_dates_name_the_workflows_zone_by_its_abbreviation_whatever_the_hosts_language()
    {
        // As Digdag's Nashorn prints it. With ICU (before bo ran in invariant globalization mode) this
        // was "Japan Standard Time", or "Japanische Normalzeit" on a host with LANG=de_DE.UTF-8.
        Assert.AreEqual("Thu Jan 01 1970 09:00:00 GMT+0900 (JST)", Render("${new Date(0).toString()}", """{"timezone":"Asia/Tokyo"}"""));
    }

    [TestMethod]
    public void Render_json_renders_every_string_and_keeps_other_values()
    {
        var config = JsonValues.Parse("""
            {"sh>": "echo ${x}", "n": 3, "list": ["${x}", 4, {"deep": "${x + 1}"}], "nested": {"a": "${x * 2}", "b": true},
             "_do": {"echo>": "${i}"}, "plain": "no template"}
            """);
        var rendered = Engine.RenderJson(config, Params("""{"x":5}"""));
        Assert.AreEqual(
            """{"sh>":"echo 5","n":3,"list":["5",4,{"deep":"6"}],"nested":{"a":"10","b":true},"_do":{"echo>":"${i}"},"plain":"no template"}""",
            rendered.GetRawText());
    }

    [TestMethod]
    public void Render_json_lets_a_value_use_keys_written_before_it_in_the_same_object()
    {
        var config = JsonValues.Parse("""{"mysql": {"host": "db.local", "url": "jdbc:mysql://${host}/x"}}""");
        var rendered = Engine.RenderJson(config, ParamSet.Empty);
        Assert.AreEqual("jdbc:mysql://db.local/x", rendered.GetProperty("mysql").GetProperty("url").GetString());
    }

    [TestMethod]
    public void Referenced_variables_are_the_free_identifiers_of_every_expression()
    {
        var names = Engine.ReferencedVariables(
            "${a.b + c[d] + Math.max(e, 1)} and ${(function(x){ var y = x; return y + z; })(f) + {k: g}.k} ${secret:s} $${h} ${a}");
        CollectionAssert.AreEqual(new[] { "a", "c", "d", "e", "z", "f", "g" }, names.ToArray());
    }

    [TestMethod]
    public void Referenced_variables_of_a_config_cover_all_its_strings()
    {
        var names = Engine.ReferencedVariables(JsonValues.Parse("""{"sh>": "echo ${x}", "env": {"A": "${y}"}, "list": ["${x}", "${z}"]}"""));
        CollectionAssert.AreEqual(new[] { "x", "y", "z" }, names.ToArray());
    }

    [TestMethod]
    public void Referenced_variables_reject_invalid_javascript()
    {
        Assert.AreEqual(TemplateErrorKind.Syntax, Assert.ThrowsExactly<TemplateException>(() => Engine.ReferencedVariables("${a +}")).Kind);
    }

    [TestMethod]
    public void A_hostile_nesting_depth_is_rejected_before_parsing()
    {
        var deep = "${" + new string('(', 4000) + "1" + new string(')', 4000) + "}";
        var ex = Assert.ThrowsExactly<TemplateException>(() => Render(deep));
        StringAssert.Contains(ex.Message, "nested deeper than 200");
    }

    [TestMethod]
    public void Many_templates_in_one_render_each_get_the_full_limits()
    {
        // Only the statement limit is under test: a loaded machine must not make the time limit bite.
        var engine = new TemplateEngine(new TemplateEngineOptions { MaxStatements = 1000, Timeout = TimeSpan.FromSeconds(30) });
        var items = string.Join(",", Enumerable.Range(0, 50).Select(_ => "\"${(function(){ for (var i = 0; i < 200; i++) {} return 1; })()}\""));
        var rendered = engine.RenderJson(JsonValues.Parse("[" + items + "]"), ParamSet.Empty);
        Assert.AreEqual(50, rendered.EnumerateArray().Count(e => e.GetString() == "1"));
    }
}
