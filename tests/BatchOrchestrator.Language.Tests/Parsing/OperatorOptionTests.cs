namespace BatchOrchestrator.Language.Tests.Parsing;

/// <summary>
/// bo check validates the options of every built-in operator: unknown options (with "did you
/// mean"), wrong types and missing required options, each at its file:line:col.
/// </summary>
[TestClass]
public sealed class OperatorOptionTests
{
    /// <summary>One mistake per operator and the message bo check gives for it.</summary>
    [TestMethod]
    [DataRow("echo>: hi\n  colour: red", "wf.dig:3:3: echo> unknown option 'colour'")]
    [DataRow("fail>: no\n  mesage: x", "wf.dig:3:3: fail> unknown option 'mesage'")]
    [DataRow("wait>: 10s\n  blockng: true", "wf.dig:3:3: wait> unknown option 'blockng'; did you mean 'blocking'?")]
    [DataRow("wait>: 10s\n  blocking: sometimes", "wf.dig:3:13: wait> blocking: expected true or false, got 'sometimes'")]
    [DataRow("wait>: 10s\n  poll_interval: soon", "wf.dig:3:18: wait> poll_interval: expected seconds (e.g. 30) or a duration such as 2m, got 'soon'")]
    [DataRow("require>: other\n  rerun_on: failures", "wf.dig:3:13: require> rerun_on: expected one of none, failed, all, got 'failures'")]
    [DataRow("require>: other\n  ignore_falure: true", "wf.dig:3:3: require> unknown option 'ignore_falure'; did you mean 'ignore_failure'?")]
    [DataRow("require>: other\n  params: 3", "wf.dig:3:11: require> params: expected a mapping")]
    [DataRow("http>: https://example.com\n  methd: POST", "wf.dig:3:3: http> unknown option 'methd'; did you mean 'method'?")]
    [DataRow("http>: https://example.com\n  content_format: yaml", "wf.dig:3:19: http> content_format: expected one of text, json, form, got 'yaml'")]
    [DataRow("http>: https://example.com\n  store_content: maybe", "wf.dig:3:18: http> store_content: expected true or false, got 'maybe'")]
    [DataRow("http>: https://example.com\n  headers: text/plain", "wf.dig:3:12: http> headers: expected a list of single-key maps")]
    [DataRow("http>: https://example.com\n  timeout: never", "wf.dig:3:12: http> timeout: expected seconds (e.g. 30) or a duration such as 2m, got 'never'")]
    [DataRow("notify>: hi\n  slak: https://hooks.slack.com/x", "wf.dig:3:3: notify> unknown option 'slak'; did you mean 'slack'?")]
    [DataRow("notify>: hi\n  teams: not a url", "wf.dig:3:10: notify> teams: expected an http(s) URL")]
    [DataRow("notify>: hi\n  webhook: {headers: {X-Team: data}}", "wf.dig:3:12: notify> webhook: a webhook mapping needs 'url'")]
    [DataRow("sh>: echo\n  shell: {a: b}", "wf.dig:3:10: sh> shell: expected a string or a list of strings, got a mapping")]
    [DataRow("py>: tasks.run\n  container: docker", "wf.dig:3:14: py> container: expected a mapping")]
    [DataRow("param_get>: {a: b}\n  scope: global", "wf.dig:3:3: param_get> unknown option 'scope'")]
    [DataRow("param_set>: {a: b}\n  ttl: 3", "wf.dig:3:3: param_set> unknown option 'ttl'")]
    public async Task A_wrong_option_fails_check_at_its_position(string task, string expected)
    {
        var errors = await TestWorkflows.ErrorsAsync("+t:\n  " + task + "\n");

        Assert.HasCount(1, errors, string.Join("\n", errors));
        Assert.StartsWith(expected, errors[0]);
    }

    [TestMethod]
    public async Task Mail_needs_subject_to_and_from_from_the_task_or_an_enclosing_export()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +t:
              mail>: body.txt
              subjct: hello
              html: yes please
              password: hunter2
              attach_files:
                - path: out.csv
                  name: out.csv
            """);

        CollectionAssert.AreEquivalent(
            new[]
            {
                "wf.dig:2:3: mail> needs 'subject' (on the task, or as a default in _export: {mail: {subject: ...}})",
                "wf.dig:2:3: mail> needs 'to' (on the task, or as a default in _export: {mail: {to: ...}})",
                "wf.dig:2:3: mail> needs 'from' (on the task, or as a default in _export: {mail: {from: ...}})",
                "wf.dig:4:9: mail> html: expected true or false, got 'yes please'",
                "wf.dig:5:3: mail>: the password option is not read (it would be written in the workflow); set the secret mail.password instead (bo secrets --set mail.password)",
                "wf.dig:8:7: mail> attach_files: unknown key 'name'; a file is path, filename, content_type",
            },
            errors.ToArray(),
            string.Join("\n", errors));
    }

    [TestMethod]
    public async Task Options_given_as_export_defaults_and_params_read_by_templates_are_accepted()
    {
        var result = await TestWorkflows.LoadAsync("""
            _export:
              mail:
                from: batch@example.com
                to: [me@example.com]
            +a:
              mail>: {data: "rows: ${rows}"}
              subject: report
              rows: 3
            +b:
              http>: https://example.com/${path}
              path: items
              method: ${verb}
              timeout: 2m
            +c:
              sh>: ./load.sh
              TARGET: prod
            +d:
              notify>: done
              webhook:
                url: ${secret:hook}
                headers: {X-Team: data}
            """);

        Assert.IsTrue(result.IsValid, string.Join("\n", result.Diagnostics));
    }

    [TestMethod]
    public async Task A_near_miss_on_an_operator_that_passes_params_on_is_a_warning_not_an_error()
    {
        var result = await TestWorkflows.LoadAsync("""
            +a:
              sh>: echo hi
              shel: [bash, -c]
            """);

        Assert.IsTrue(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.AreEqual("wf.dig:3:3: warning: 'shel' is passed to sh> as a param, not read as an option; did you mean 'shell'?", result.Diagnostics.Single().ToString());
    }

    [TestMethod]
    public async Task Operator_defaults_in_export_are_checked_too()
    {
        var result = await TestWorkflows.LoadAsync("""
            _export:
              http:
                timeout: forever
                retyr: true
              notify:
                events: [failure, finished]
            +a:
              echo>: hi
            """);

        CollectionAssert.AreEqual(
            new[]
            {
                "wf.dig:3:14: http> timeout: expected seconds (e.g. 30) or a duration such as 2m, got 'forever'",
                "wf.dig:4:5: warning: _export.http.retyr is not an option of http>; did you mean 'retry'?; http> options are method, content, content_format, content_type, store_content, headers, query, retry, timeout",
                "wf.dig:6:23: notify> events: expected failure or success, got 'finished'",
            },
            result.Diagnostics.Select(d => d.ToString()).ToArray(),
            string.Join("\n", result.Diagnostics));
    }
}
