using BatchOrchestrator.Language.Tests.TestSupport;

namespace BatchOrchestrator.Language.Tests.Parsing;

[TestClass]
public sealed class ValidationTests
{
    [TestMethod]
    public async Task Unknown_underscore_key_is_an_error_with_a_did_you_mean()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +load:
              _paralel: true
              +a:
                echo>: a
            """);
        Assert.HasCount(1, errors);
        Assert.Contains("wf.dig:2:3: unknown key '_paralel'; did you mean '_parallel'?", errors[0]);
    }

    [TestMethod]
    public async Task All_problems_of_a_file_are_reported_at_once_in_file_order()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +a:
              _retry: -1
              sh>: echo a
            +b:
              _parallel: maybe
              +c:
                loop>: abc
                _do:
                  echo>: x
            """);
        Assert.HasCount(3, errors);
        Assert.StartsWith("wf.dig:2:11: _retry: expected a whole number ≥ 0", errors[0]);
        Assert.StartsWith("wf.dig:5:14: _parallel: expected true, false, 'limit: N' or a ${...} template, got 'maybe'", errors[1]);
        Assert.StartsWith("wf.dig:7:12: loop>: expected a whole number ≥ 0", errors[2]);
    }

    [TestMethod]
    public async Task Templates_are_accepted_where_a_typed_value_is_expected()
    {
        var result = await TestWorkflows.LoadAsync("""
            _export:
              n: 3
              parallel: true
            +loop:
              loop>: ${n}
              _parallel: ${parallel}
              _retry: ${n}
              _do:
                echo>: ${i}
            +cond:
              if>: ${n > 2}
              _do:
                echo>: big
            """);
        Assert.IsTrue(result.IsValid, string.Join("\n", result.Diagnostics));
    }

    [TestMethod]
    public async Task Children_under_an_operator_task_are_an_error()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +load:
              sh>: echo load
              +child:
                echo>: hi
            """);
        Assert.HasCount(1, errors);
        Assert.Contains("wf.dig:3:3: +load runs the operator sh>, so it can't have child tasks (+child)", errors[0]);
    }

    [TestMethod]
    public async Task Two_operators_in_one_task_are_an_error()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +t:
              echo>: hi
              sh>: echo hi
            """);
        Assert.HasCount(1, errors);
        Assert.Contains("wf.dig:3:3: a task has one operator, but +t has 2: echo>, sh>", errors[0]);
    }

    [TestMethod]
    public async Task A_vendor_operator_is_named_as_unsupported_not_as_a_typo()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +q:
              td>: queries/a.sql
            """);
        Assert.Contains("operator td> (Treasure Data) is a Digdag operator not supported by BatchOrchestrator", errors.Single());
    }

    [TestMethod]
    public async Task A_misspelled_operator_gets_a_did_you_mean()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +q:
              shh>: echo hi
            """);
        Assert.Contains("wf.dig:2:3: unknown operator 'shh>'; did you mean 'sh>'?", errors.Single());
    }

    [TestMethod]
    public async Task Background_under_a_parallel_parent_is_an_error()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +g:
              _parallel: true
              +a:
                echo>: a
              +b:
                _background: true
                echo>: b
            """);
        Assert.Contains("wf.dig:6:5: Setting \"_background: true\" option is invalid (unnecessary) if its parent task has \"_parallel: true\" option", errors.Single());
    }

    [TestMethod]
    public async Task After_must_name_a_sibling()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +g:
              _parallel: true
              +extract:
                echo>: a
              +load:
                _after: [+extarct]
                echo>: b
            """);
        Assert.Contains("wf.dig:6:14: _after: '+extarct' is not a sibling of +load; did you mean '+extract'?", errors.Single());
    }

    [TestMethod]
    public async Task After_without_a_parallel_parent_is_an_error()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +g:
              +a:
                echo>: a
              +b:
                _after: +a
                echo>: b
            """);
        Assert.Contains("Setting \"_after\" option is invalid if its parent task doesn't have \"_parallel: true\" option", errors.Single());
    }

    [TestMethod]
    public async Task An_after_cycle_is_reported_with_the_cycle()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +g:
              _parallel: true
              +a:
                _after: [+c]
                echo>: a
              +b:
                _after: [+a]
                echo>: b
              +c:
                _after: [+b]
                echo>: c
            """);
        Assert.HasCount(1, errors);
        Assert.Contains("_after makes a cycle: ", errors[0]);
        StringAssert.Matches(errors[0], new System.Text.RegularExpressions.Regex(@"\+a waits for \+c waits for \+b waits for \+a|\+c waits for \+b waits for \+a waits for \+c|\+b waits for \+a waits for \+c waits for \+b"));
    }

    [TestMethod]
    public async Task Invalid_timezone_is_an_error_with_a_suggestion()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            timezone: Asia/Tokio
            +a:
              echo>: a
            """);
        Assert.Contains("wf.dig:1:11: timezone: unknown time zone 'Asia/Tokio'; did you mean 'Asia/Tokyo'?", errors.Single());
    }

    [TestMethod]
    public async Task Timezone_accepts_iana_names_and_fixed_offsets()
    {
        foreach (var zone in new[] { "UTC", "Asia/Tokyo", "America/Los_Angeles", "+09:00" })
        {
            var result = await TestWorkflows.LoadAsync($"timezone: {zone}\n+a:\n  echo>: a\n");
            Assert.IsTrue(result.IsValid, zone + ": " + string.Join("\n", result.Diagnostics));
            Assert.AreEqual(zone, result.Definition!.TimeZoneId);
        }
    }

    [TestMethod]
    public async Task Retry_mapping_options_are_checked()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +a:
              _retry:
                limit: 3
                interval_type: linear
                intervall: 5
              sh>: exit 1
            """);
        Assert.HasCount(2, errors);
        Assert.Contains("wf.dig:4:20: _retry.interval_type: expected 'constant' or 'exponential', got 'linear'", errors[0]);
        Assert.Contains("wf.dig:5:5: _retry: unknown option 'intervall'; did you mean 'interval'?", errors[1]);
    }

    [TestMethod]
    public async Task Loop_without_a_do_block_is_an_error()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +l:
              loop>: 3
            """);
        Assert.Contains("wf.dig:2:3: loop> needs a _do: block with the tasks to run", errors.Single());
    }

    [TestMethod]
    public async Task Problems_inside_do_and_error_bodies_are_found()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +l:
              loop>: 2
              _do:
                +x:
                  ech>: ${i}
            _error:
              +notify:
                _retyr: 2
                echo>: failed
            """);
        Assert.HasCount(2, errors);
        Assert.Contains("wf.dig:5:7: unknown operator 'ech>'; did you mean 'echo>'?", errors[0]);
        Assert.Contains("wf.dig:8:5: unknown key '_retyr'; did you mean '_retry'?", errors[1]);
    }

    [TestMethod]
    public async Task Schedule_inside_a_task_is_an_error()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +a:
              schedule:
                daily>: 07:00:00
              echo>: a
            """);
        Assert.Contains("wf.dig:2:3: 'schedule:' is read only at the top level of a workflow file", errors.Single());
    }

    [TestMethod]
    public async Task A_param_named_like_a_directive_gets_a_warning_not_an_error()
    {
        var result = await TestWorkflows.LoadAsync("""
            +g:
              parallel: true
              +a:
                echo>: a
            """);
        Assert.IsTrue(result.IsValid);
        Assert.Contains("wf.dig:2:3: warning: 'parallel' is read as a param here; did you mean '_parallel'?", result.Diagnostics.Single().ToString());
    }

    [TestMethod]
    public async Task Sla_needs_exactly_one_of_time_or_duration()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            sla:
              time: 25:00
              fail: true
            +a:
              echo>: a
            """);
        Assert.Contains("wf.dig:2:9: sla.time: expected HH:MM or HH:MM:SS", errors.Single());

        var ok = await TestWorkflows.LoadAsync("""
            sla:
              duration: 01:30:00
              +alert:
                echo>: late
            +a:
              echo>: a
            """);
        Assert.IsTrue(ok.IsValid, string.Join("\n", ok.Diagnostics));
        Assert.AreEqual(TimeSpan.FromMinutes(90), ok.Definition!.Sla!.Duration);
    }

    [TestMethod]
    public async Task Call_to_a_missing_workflow_is_an_error()
    {
        using var folder = new TempWorkflowDirectory();
        folder.Write("child.dig", "+c:\n  echo>: child\n");
        var path = folder.Write("parent.dig", "+ok:\n  call>: child\n+bad:\n  call>: chlid\n");
        var result = await new Projects.WorkflowLoader(TestSupport.HostOperators.Catalog).LoadAsync(path, CancellationToken.None);
        Assert.Contains("parent.dig:4:10: call>: workflow 'chlid' not found", result.Errors.Single().ToString());
    }

    [TestMethod]
    public async Task Duplicate_task_names_are_an_error()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +a:
              echo>: 1
            +a:
              echo>: 2
            """);
        Assert.Contains("wf.dig:3:1: duplicate key '+a' (first defined at line 1)", errors.Single());
    }

    [TestMethod]
    public async Task A_template_that_is_not_valid_javascript_is_an_error_at_its_position()
    {
        var errors = await TestWorkflows.ErrorsAsync("""
            +test:
              if>: ${cnt => 3}
              _do:
                echo>: ok
            """);
        Assert.StartsWith("wf.dig:2:8: ", errors.Single());
        Assert.Contains("is not a valid JavaScript expression", errors.Single());
    }

    [TestMethod]
    public async Task Params_used_by_templates_are_listed_and_those_the_workflow_never_sets_are_named()
    {
        var result = await TestWorkflows.LoadAsync("""
            _export:
              dir: out/${session_date}
            +a:
              sh>: ls ${dir} ${outdir}
            """);
        Assert.IsTrue(result.IsValid);
        CollectionAssert.AreEqual(new[] { "session_date", "dir", "outdir" }, result.ParamsUsed.ToArray());
        CollectionAssert.AreEqual(new[] { "outdir" }, result.ParamsFromOutside.ToArray());
    }

    [TestMethod]
    public async Task Many_after_errors_in_a_huge_group_stay_fast_and_short()
    {
        var yaml = new System.Text.StringBuilder("+g:\n  _parallel: true\n");
        for (var i = 0; i < 20_000; i++)
        {
            yaml.Append("  +t").Append(i).Append(":\n    _after: +nope\n    echo>: x\n");
        }

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var result = await TestWorkflows.LoadAsync(yaml.ToString());
        Assert.IsLessThan(TimeSpan.FromSeconds(20), stopwatch.Elapsed, "a failure guard, not a benchmark");
        var errors = result.Errors.ToList();
        Assert.HasCount(20_000, errors);
        Assert.AreEqual("wf.dig:4:13: _after: '+nope' is not a sibling of +t0 (siblings: +t1, +t2, +t3, +t4, +t5, +t6, +t7, +t8, +t9, +t10, … and 19,989 more)", errors[0].ToString());
    }
}
