using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Language.Tests.Parameters;

[TestClass]
public sealed class TaskParamResolverTests
{
    private static readonly TemplateEngine Templates = new();

    private static ParamSet P(string json) => ParamSet.Parse(json);

    private static ParamSet Effective(TaskParamLayers layers, string session = "{}", string builtIns = "{}") =>
        Templates.RenderParams(TaskParamResolver.Resolve(layers, P(session), P(builtIns)));

    [TestMethod]
    public void Local_params_win_over_exported_and_stored_ones()
    {
        var layers = new TaskParamLayers(
            new LocalParams(P("""{"x":"local"}""")),
            [new ExportedParams(1, P("""{"x":"export"}"""))],
            [new StoredParams(2, P("""{"x":"store"}"""))]);

        Assert.AreEqual("local", Effective(layers).Get("x").GetString());
    }

    [TestMethod]
    public void Between_export_and_store_the_later_one_wins()
    {
        var storeLater = new TaskParamLayers(LocalParams.None, [new ExportedParams(1, P("""{"x":"export"}"""))], [new StoredParams(2, P("""{"x":"store"}"""))]);
        var exportLater = new TaskParamLayers(LocalParams.None, [new ExportedParams(3, P("""{"x":"export"}"""))], [new StoredParams(2, P("""{"x":"store"}"""))]);

        Assert.AreEqual("store", Effective(storeLater).Get("x").GetString());
        Assert.AreEqual("export", Effective(exportLater).Get("x").GetString());
    }

    [TestMethod]
    public void Exports_of_inner_groups_override_outer_ones_and_objects_merge()
    {
        var layers = new TaskParamLayers(
            LocalParams.None,
            [new ExportedParams(2, P("""{"td":{"database":"inner"}}""")), new ExportedParams(1, P("""{"td":{"database":"outer","engine":"presto"}}"""))],
            []);

        Assert.AreEqual("""{"td":{"database":"inner","engine":"presto"}}""", Effective(layers).ToJsonString());
    }

    [TestMethod]
    public void Session_params_cannot_override_an_export_but_fill_in_the_rest()
    {
        var layers = new TaskParamLayers(LocalParams.None, [new ExportedParams(1, P("""{"env":"from_export"}"""))], []);

        var result = Effective(layers, session: """{"env":"from_cli","other":"from_cli"}""");

        Assert.AreEqual("from_export", result.Get("env").GetString());
        Assert.AreEqual("from_cli", result.Get("other").GetString());
    }

    [TestMethod]
    public void A_task_with_nothing_but_built_ins_sees_them_as_they_are_unevaluated_and_in_their_order()
    {
        var builtIns = P("""{"session_time":"2026-12-07T00:00:00+00:00","task_name":"+wf+${not_a_template}","timezone":"UTC"}""");

        var alone = TaskParamResolver.Resolve(TaskParamLayers.OnlyLocal(ParamSet.Empty), ParamSet.Empty, builtIns);
        // The same built-ins over an empty export: resolved layer by layer.
        var layered = TaskParamResolver.Resolve(new TaskParamLayers(LocalParams.None, [new ExportedParams(1, ParamSet.Empty)], []), ParamSet.Empty, builtIns);

        CollectionAssert.AreEqual(layered.Values.Keys.ToList(), alone.Values.Keys.ToList());
        Assert.AreEqual(layered.Values.ToJsonString(), alone.Values.ToJsonString());
        Assert.AreEqual(0, alone.TemplateSites.Length);
        Assert.IsNull(alone.Inherited);
        Assert.AreEqual("+wf+${not_a_template}", Templates.RenderParams(alone).Get("task_name").GetString());
    }

    [TestMethod]
    public void Built_in_variables_cannot_be_overridden()
    {
        var layers = new TaskParamLayers(
            new LocalParams(P("""{"session_date":"local"}""")),
            [new ExportedParams(1, P("""{"task_name":"export"}"""))],
            [new StoredParams(2, P("""{"attempt_id":99}"""))]);

        var result = Effective(layers, session: """{"session_id":-1}""", builtIns: """{"session_date":"2026-11-21","task_name":"+wf+t","attempt_id":1,"session_id":7}""");

        Assert.AreEqual("2026-11-21", result.Get("session_date").GetString());
        Assert.AreEqual("+wf+t", result.Get("task_name").GetString());
        Assert.AreEqual(1, result.Get("attempt_id").GetInt32());
        Assert.AreEqual(7, result.Get("session_id").GetInt32());
    }

    [TestMethod]
    public void An_absent_built_in_does_not_hide_a_user_value()
    {
        var layers = TaskParamLayers.OnlyLocal(P("""{"next_session_time":"mine"}"""));
        Assert.AreEqual("mine", Effective(layers, builtIns: """{"session_date":"2026-11-21"}""").Get("next_session_time").GetString());
    }

    [TestMethod]
    public void Exported_templates_are_evaluated_in_each_task_that_uses_them()
    {
        var export = new ExportedParams(1, P("""{"label":"${task_name} on ${session_date}"}"""), "+wf");
        var first = new TaskParamLayers(new LocalParams(P("""{"echo>":"${label}"}""")), [export], []);

        var a = Effective(first, builtIns: """{"task_name":"+wf+a","session_date":"2026-11-21"}""");
        var b = Effective(first, builtIns: """{"task_name":"+wf+b","session_date":"2026-11-21"}""");

        Assert.AreEqual("+wf+a on 2026-11-21", a.Get("echo>").GetString());
        Assert.AreEqual("+wf+b on 2026-11-21", b.Get("echo>").GetString());
    }

    [TestMethod]
    public void An_export_may_use_a_param_set_on_the_task_itself()
    {
        var layers = new TaskParamLayers(new LocalParams(P("""{"name":"bob","sh>":"echo ${greeting}"}""")), [new ExportedParams(1, P("""{"greeting":"hello ${name}"}"""))], []);
        Assert.AreEqual("echo hello bob", Effective(layers).Get("sh>").GetString());
    }

    [TestMethod]
    public void Templates_may_use_each_other_in_any_order()
    {
        var layers = TaskParamLayers.OnlyLocal(P("""{"a":"${b}!","b":"${c}?","c":"x"}"""));
        var result = Effective(layers);
        Assert.AreEqual("x?!", result.Get("a").GetString());
        Assert.AreEqual("x?", result.Get("b").GetString());
    }

    [TestMethod]
    public void A_key_that_reads_its_own_name_sees_the_param_it_replaced()
    {
        var layers = new TaskParamLayers(
            new LocalParams(P("""{"color":"${color}","path":"${path}/in","order":"${order} first"}""")),
            [new ExportedParams(1, P("""{"color":"red","path":"/data","order":"${animal}","animal":"cat"}"""))],
            []);

        var result = Effective(layers);

        Assert.AreEqual("red", result.Get("color").GetString());
        Assert.AreEqual("/data/in", result.Get("path").GetString(), "applied once");
        Assert.AreEqual("cat first", result.Get("order").GetString(), "the inherited value is evaluated too");
    }

    [TestMethod]
    public void A_key_that_reads_its_own_name_with_nothing_inherited_uses_an_undefined_variable()
    {
        var ex = Assert.ThrowsExactly<TemplateException>(() => Effective(TaskParamLayers.OnlyLocal(P("""{"x":"${x}!"}"""))));
        Assert.AreEqual(TemplateErrorKind.UndefinedVariable, ex.Kind);
        Assert.AreEqual("x", ex.Variable);
    }

    [TestMethod]
    public void Keys_are_evaluated_in_order_each_seeing_the_keys_above_it()
    {
        var layers = TaskParamLayers.OnlyLocal(P("""{"a":"${timezone}","b":"${a}","c":"${a}${b}","nested":{"value":"v"},"ref":"${nested.value}"}"""));
        var result = Effective(layers, session: """{"timezone":"UTC"}""");
        Assert.AreEqual("""{"timezone":"UTC","a":"UTC","b":"UTC","c":"UTCUTC","nested":{"value":"v"},"ref":"v"}""", result.ToJsonString());
    }

    [TestMethod]
    public void Params_that_refer_to_each_other_in_a_cycle_fail_clearly()
    {
        var layers = TaskParamLayers.OnlyLocal(P("""{"a":"${b}","b":"${a}"}"""));
        var ex = Assert.ThrowsExactly<TemplateException>(() => Effective(layers));
        Assert.AreEqual(TemplateErrorKind.Cycle, ex.Kind);
        StringAssert.Contains(ex.Message, "a → b → a");
    }

    [TestMethod]
    public void Stored_session_and_built_in_values_are_data_and_never_evaluated()
    {
        var layers = new TaskParamLayers(LocalParams.None, [], [new StoredParams(1, P("""{"http":{"last_content":"${secret_thing}"}}"""))]);
        var result = Effective(layers, session: """{"p":"${q}"}""", builtIns: """{"task_name":"+wf+${x}"}""");

        Assert.AreEqual("${secret_thing}", result.Get("http").GetProperty("last_content").GetString());
        Assert.AreEqual("${q}", result.Get("p").GetString());
        Assert.AreEqual("+wf+${x}", result.Get("task_name").GetString());
    }

    [TestMethod]
    public void A_store_overwriting_part_of_an_exported_object_keeps_the_rest_a_template()
    {
        var layers = new TaskParamLayers(
            LocalParams.None,
            [new ExportedParams(1, P("""{"td":{"database":"${db}","note":"${db}-note"},"db":"prod"}"""))],
            [new StoredParams(2, P("""{"td":{"note":"${raw}"}}"""))]);

        var result = Effective(layers);

        Assert.AreEqual("""{"database":"prod","note":"${raw}"}""", result.Get("td").GetRawText());
    }

    [TestMethod]
    public void Do_bodies_are_not_evaluated_before_their_operator_runs()
    {
        var layers = TaskParamLayers.OnlyLocal(P("""{"loop>":"${n}","n":2,"_do":{"echo>":"${i}"}}"""));
        var result = Effective(layers);
        Assert.AreEqual("2", result.Get("loop>").GetString());
        Assert.AreEqual("${i}", result.Get("_do").GetProperty("echo>").GetString());
    }

    [TestMethod]
    public void Two_contributions_with_the_same_sequence_are_rejected()
    {
        var layers = new TaskParamLayers(LocalParams.None, [new ExportedParams(5, P("{}"), "+wf")], [new StoredParams(5, P("{}"), "+wf+a")]);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => TaskParamResolver.Resolve(layers, ParamSet.Empty, ParamSet.Empty));
        StringAssert.Contains(ex.Message, "same sequence number 5");
        StringAssert.Contains(ex.Message, "+wf+a");
    }
}
