using BatchOrchestrator.Language.Projects;

namespace BatchOrchestrator.Language.Tests.Compat;

/// <summary>
/// Runs <c>bo check</c>'s loader over every <c>.dig</c> file of the Digdag corpus
/// (<c>../shared/compat/digdag</c>, see its NOTICE.md) and pins each file's outcome: valid, or
/// invalid for a stated reason. A change in what the language accepts shows up here file by file,
/// and a file added to the corpus fails <see cref="The_table_covers_every_file_of_the_corpus"/>
/// until its outcome is decided.
/// </summary>
[TestClass]
public sealed class DigdagCorpusTests(TestContext testContext)
{
    private const string Unsupported_ = "not supported by BatchOrchestrator";

    /// <summary>
    /// Every file of the corpus, relative to <c>shared/compat/digdag</c>. A "valid" file may still
    /// fail when it runs (Digdag's tests of run-time failures); the note says so.
    /// </summary>
    private static readonly CorpusExpectation[] Table =
    [
        Valid("acceptance/api_projects/schedule1.dig"),
        Valid("acceptance/api_projects/schedule2.dig"),
        Valid("acceptance/attempt_limit/hourly_sleep.dig"),
        Valid("acceptance/backfill/backfill.dig"),
        Valid("acceptance/backfill/backfill_sequential.dig"),
        Valid("acceptance/background_after/after_group.dig"),
        Valid("acceptance/background_after/after_task.dig"),
        Invalid("acceptance/background_after/after_without_parallel.dig", "\"_after\" option is invalid if its parent task doesn't have \"_parallel: true\"", "Digdag's own negative test"),
        Valid("acceptance/background_after/background_group.dig"),
        Valid("acceptance/background_after/background_task.dig"),
        Invalid("acceptance/background_after/background_with_parallel.dig", "\"_background: true\" option is invalid (unnecessary) if its parent task has \"_parallel: true\"", "Digdag's own negative test"),
        Valid("acceptance/basic.dig"),
        Unsupported("acceptance/bigquery/ddl.dig", "bq_ddl>"),
        Unsupported("acceptance/bigquery/extract-asia.dig", "bq_extract>"),
        Unsupported("acceptance/bigquery/extract.dig", "bq_extract>"),
        Unsupported("acceptance/bigquery/load-asia.dig", "bq_load>"),
        Unsupported("acceptance/bigquery/load.dig", "bq_load>"),
        Unsupported("acceptance/bigquery/query.dig", "bq>"),
        Valid("acceptance/conditional/conditional.dig"),
        Valid("acceptance/conditional/fail.dig", "fails at run time by design (fail>)"),
        Invalid("acceptance/config_eval_engine/invalid1.dig", "is not a valid JavaScript expression", "ES6 arrow \"=>\" in ${...}: Digdag fails it at run time, bo check finds it before"),
        Unsupported("acceptance/emr/emr.dig", "emr>"),
        Unsupported("acceptance/error_server_mail/error.dig", "td>"),
        Valid("acceptance/error_task/error_task.dig"),
        Invalid("acceptance/error_task/invalid_at_group.dig", "a task has one operator, but ^error has 2: echo>, sh>", "Digdag's own negative test: two operators in _error"),
        Invalid("acceptance/error_task/invalid_at_leaf.dig", "a task has one operator, but ^error has 2: echo>, sh>", "Digdag's own negative test: two operators in _error"),
        Valid("acceptance/http/http.dig"),
        Valid("acceptance/http/http_content_array.dig"),
        Valid("acceptance/http/http_content_flat_object.dig"),
        Valid("acceptance/http/http_content_object.dig"),
        Valid("acceptance/http/http_content_scalar.dig"),
        Valid("acceptance/http/http_for_each.dig"),
        Valid("acceptance/http/http_headers.dig"),
        Valid("acceptance/http/http_query.dig"),
        Valid("acceptance/http_call/child.dig"),
        Unsupported("acceptance/http_call/http_call.dig", "http_call>"),
        Unsupported("acceptance/http_call/http_call_post.dig", "http_call>"),
        Unsupported("acceptance/http_call/http_call_query.dig", "http_call>"),
        Unsupported("acceptance/http_call/http_call_yaml_override.dig", "http_call>"),
        Valid("acceptance/limit_task_count/aggregate_foreach_bomb.dig"),
        Valid("acceptance/limit_task_count/aggregate_loop_bomb.dig"),
        Valid("acceptance/limit_task_count/deep_nested_foreach_bomb.dig"),
        Valid("acceptance/limit_task_count/deep_nested_loop_bomb.dig"),
        Valid("acceptance/limit_task_count/nested_foreach_bomb.dig"),
        Valid("acceptance/limit_task_count/nested_loop_bomb.dig"),
        Valid("acceptance/limit_task_count/parameterized_single_small_loop_bomb.dig"),
        Valid("acceptance/limit_task_count/single_large_foreach_bomb.dig"),
        Valid("acceptance/limit_task_count/single_large_loop_bomb.dig"),
        Valid("acceptance/limit_task_count/single_small_foreach_bomb.dig"),
        Valid("acceptance/limit_task_count/single_small_loop_bomb.dig"),
        Valid("acceptance/notification/fail.dig"),
        Valid("acceptance/notification/success.dig"),
        Valid("acceptance/parallel/invalid_parallel_variable_loop.dig", "_parallel: ${parallel} is \"tru\": fails at run time, when the template is evaluated"),
        Valid("acceptance/parallel/parallel_basic.dig"),
        Valid("acceptance/parallel/parallel_limit.dig"),
        Valid("acceptance/parallel/parallel_variable_group.dig"),
        Valid("acceptance/parallel/parallel_variable_loop.dig"),
        Unsupported("acceptance/pg/create_table.dig", "pg>"),
        Unsupported("acceptance/pg/insert_into.dig", "pg>"),
        Unsupported("acceptance/pg/insert_into_with_schema.dig", "pg>"),
        Unsupported("acceptance/pg/insert_into_wo_st.dig", "pg>"),
        Unsupported("acceptance/pg/select_download.dig", "pg>"),
        Unsupported("acceptance/pg/select_download_with_password_override.dig", "pg>"),
        Unsupported("acceptance/pg/select_store_last_results.dig", "pg>"),
        Unsupported("acceptance/pg/select_store_last_results_first.dig", "pg>"),
        Valid("acceptance/py/config_python.dig"),
        Valid("acceptance/py/dup_module.dig"),
        Valid("acceptance/py/stacktrace_python.dig"),
        Valid("acceptance/py/syntax_error_python.dig", "the Python script is broken, not the workflow"),
        Valid("acceptance/rb/config_ruby.dig"),
        Valid("acceptance/rb/stacktrace_ruby.dig"),
        Unsupported("acceptance/redshift/create_table.dig", "redshift>"),
        Unsupported("acceptance/redshift/create_table_with_short_ttl_status_table.dig", "redshift>"),
        Unsupported("acceptance/redshift/insert_into_with_schema.dig", "redshift>"),
        Unsupported("acceptance/redshift/load_from_dynamodb.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/load_from_s3_avro.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/load_from_s3_avro_with_json_path_file.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/load_from_s3_csv.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/load_from_s3_csv_with_manifest.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/load_from_s3_csv_with_many_options.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/load_from_s3_csv_with_noload.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/load_from_s3_csv_with_role.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/load_from_s3_csv_with_short_ttl_status_table.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/load_from_s3_csv_without_temp_credentials.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/load_from_s3_fixedwidth_with_schema.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/load_from_s3_json.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/load_from_s3_json_with_json_path_file.dig", "redshift_load>"),
        Unsupported("acceptance/redshift/select_download.dig", "redshift>"),
        Unsupported("acceptance/redshift/select_download_with_password_override.dig", "redshift>"),
        Unsupported("acceptance/redshift/select_store_last_results.dig", "redshift>"),
        Unsupported("acceptance/redshift/select_store_last_results_first.dig", "redshift>"),
        Unsupported("acceptance/redshift/unload_to_s3.dig", "redshift_unload>"),
        Unsupported("acceptance/redshift/unload_to_s3_with_manifest.dig", "redshift_unload>"),
        Unsupported("acceptance/redshift/unload_to_s3_wo_temp_credentials.dig", "redshift_unload>"),
        Valid("acceptance/require/child.dig"),
        Valid("acceptance/require/child_another_project.dig"),
        Valid("acceptance/require/child_rerun_on.dig"),
        Valid("acceptance/require/child_wait.dig"),
        Valid("acceptance/require/fail.dig", "fails at run time by design"),
        Valid("acceptance/require/parent.dig"),
        Invalid("acceptance/require/parent_another_project.dig", "invalid YAML", "a template: Digdag's test replaces the line __CHILD_PROJECT__ before use"),
        Valid("acceptance/require/parent_ignore_failure.dig"),
        Valid("acceptance/require/parent_rerun_on.dig"),
        Valid("acceptance/require/parent_wait.dig"),
        Valid("acceptance/retry/retry-1.dig"),
        Valid("acceptance/retry/retry-2.dig"),
        Valid("acceptance/retry/retry-3.dig"),
        Valid("acceptance/runtime_params/params1_no_sch.dig"),
        Valid("acceptance/runtime_params/params2_sch.dig"),
        Valid("acceptance/schedule/daily10.dig"),
        Valid("acceptance/schedule/hourly9.dig"),
        Invalid("acceptance/schedule/invalid_schedule.dig", "hourly>: expected MM:SS", "Digdag's broken schedule test input: hourly> takes MM:SS, not \"10:11:12\""),
        Invalid("acceptance/schedule/skip_on_overtime.dig", "unknown schedule type 'seconds_interval>'", "seconds_interval> is an undocumented Digdag scheduler we do not provide"),
        Invalid("acceptance/scheduler/invalid.dig", "unknown schedule option 'skip_on_over_time'; did you mean 'skip_on_overtime'?", "Digdag's broken schedule test input"),
        Invalid("acceptance/scheduler/invalid_op.dig", "unknown schedule type 'wrong>'", "Digdag's broken schedule test input"),
        Valid("acceptance/scheduler/simple.dig"),
        Invalid("acceptance/scheduler/unknown_type.dig", "unknown schedule type 'no_such_scheduler>'", "Digdag's broken schedule test input"),
        Valid("acceptance/sh/env.dig"),
        Valid("acceptance/sh/env_secret_only_reject.dig", "${secret:...} of a non-secret param: rejected at run time"),
        Valid("acceptance/sla/duration_alert_default.dig"),
        Valid("acceptance/sla/duration_alert_disabled.dig"),
        Valid("acceptance/sla/duration_alert_enabled.dig"),
        Valid("acceptance/sla/duration_custom.dig"),
        Valid("acceptance/sla/duration_fail_default.dig"),
        Valid("acceptance/sla/duration_fail_disabled.dig"),
        Valid("acceptance/sla/duration_fail_enabled.dig"),
        Valid("acceptance/sla/time_alert_default.dig"),
        Valid("acceptance/sla/time_alert_disabled.dig"),
        Valid("acceptance/sla/time_alert_enabled.dig"),
        Valid("acceptance/sla/time_custom.dig"),
        Valid("acceptance/sla/time_fail_default.dig"),
        Valid("acceptance/sla/time_fail_disabled.dig"),
        Valid("acceptance/sla/time_fail_enabled.dig"),
        Valid("examples/basic.dig"),
        Valid("examples/call.dig"),
        Valid("examples/check_task.dig"),
        Valid("examples/conditions.dig"),
        Unsupported("examples/emr.dig", "emr>"),
        Valid("examples/error_task.dig"),
        Valid("examples/export_params.dig"),
        Valid("examples/http_for_each.dig"),
        Valid("examples/include.dig"),
        Valid("examples/js_vars.dig"),
        Valid("examples/mail.dig"),
        Valid("examples/params.dig"),
        Valid("examples/params_child.dig"),
        Valid("examples/python_args.dig"),
        Valid("examples/python_generate_subtasks.dig"),
        Valid("examples/ruby_args.dig"),
        Valid("examples/ruby_generate_subtasks.dig"),
        Valid("examples/schedule_daily.dig"),
        Valid("examples/schedule_hourly.dig"),
        Valid("examples/schedule_weekly.dig"),
        Valid("examples/shell_envvar.dig"),
        Valid("examples/sla.dig"),
        Valid("examples/sla_duration.dig"),
        Unsupported("examples/td_for_each.dig", "td_for_each>"),
        Unsupported("examples/treasuredata.dig", "td_ddl>"),
    ];

    public static IEnumerable<object[]> Files => Table.Select(e => new object[] { e.File });

    [TestMethod]
    [DynamicData(nameof(Files))]
    public async Task Each_file_has_its_pinned_outcome(string file)
    {
        var expectation = Table.Single(e => e.File == file);
        var result = await new WorkflowLoader(TestSupport.HostOperators.Catalog).LoadAsync(Path.Combine(CorpusRoot(), file), CancellationToken.None);
        var errors = string.Join(Environment.NewLine, result.Errors);
        testContext.WriteLine(result.IsValid ? $"{file}: valid" : errors);

        if (expectation.Valid)
        {
            Assert.IsTrue(result.IsValid, $"{file} should be valid, got:{Environment.NewLine}{errors}");
            return;
        }

        Assert.IsFalse(result.IsValid, $"{file} should be invalid ({expectation.Reason}), but it was accepted");
        Assert.IsTrue(
            result.Errors.Any(e => e.Message.Contains(expectation.Reason!, StringComparison.Ordinal)),
            $"{file} should fail with \"{expectation.Reason}\", got:{Environment.NewLine}{errors}");
    }

    [TestMethod]
    public void The_table_covers_every_file_of_the_corpus()
    {
        var root = CorpusRoot();
        var onDisk = Directory.EnumerateFiles(root, "*.dig", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var pinned = Table.Select(e => e.File).Order(StringComparer.Ordinal).ToList();

        CollectionAssert.AreEqual(onDisk.Except(pinned).ToList(), Array.Empty<string>(), "files of the corpus with no expected outcome in the table");
        CollectionAssert.AreEqual(pinned.Except(onDisk).ToList(), Array.Empty<string>(), "rows of the table with no file in the corpus");
        Assert.HasCount(pinned.Count, pinned.Distinct().ToList(), "a file is pinned twice");

        testContext.WriteLine($"{Table.Length} files: {Table.Count(e => e.Valid)} valid, {Table.Count(e => !e.Valid)} invalid");
        foreach (var group in Table.Where(e => !e.Valid).GroupBy(e => e.Reason).OrderByDescending(g => g.Count()))
        {
            testContext.WriteLine($"  invalid, {group.Key}: {group.Count()}");
        }
    }

    /// <summary>
    /// <c>shared/compat/digdag</c>, found by walking up from the test binaries: the repository's
    /// parent folder holds <c>shared/</c>, here and in CI (a fresh clone with ../shared beside it).
    /// </summary>
    private static string CorpusRoot() => TestSupport.SharedFolder.Find("compat/digdag");

    private static CorpusExpectation Valid(string file, string note = "") => new(file, true, null, note);

    private static CorpusExpectation Unsupported(string file, string op) => new(file, false, Unsupported_, $"{op} is a vendor operator");

    private static CorpusExpectation Invalid(string file, string reason, string note) => new(file, false, reason, note);

    private sealed record CorpusExpectation(string File, bool Valid, string? Reason, string Note);
}
