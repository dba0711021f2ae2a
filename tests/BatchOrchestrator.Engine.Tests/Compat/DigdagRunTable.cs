using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Workflows;

namespace BatchOrchestrator.Engine.Tests.Compat;

/// <summary>
/// What each runnable corpus file must do when it runs on the local engine, taken from the Digdag
/// acceptance test that uses it (named in <see cref="RunCase.Asserts"/>), and why every other file
/// does not run here.
/// </summary>
internal static class DigdagRunTable
{
    private const string PythonHelpers = "py> of Python helper scripts that are not in the corpus (NOTICE.md: helper scripts are not included)";
    private const string RubyHelpers = "rb> of Ruby helper scripts that are not in the corpus (NOTICE.md: helper scripts are not included); rb> itself is covered by RbOperatorTests and the workflow-definition page's test";
    private const string ShellHelpers = "sh> of a shell helper script that is not in the corpus";
    private const string Require = "require> story of RequireIT that needs several prior runs and waits (parent_rerun_on: child runs with child_fail=yes/no first; parent_wait: a 10 s wait>) — require> itself is covered by parent.dig, parent_ignore_failure.dig and the interpreter's RequireTests";
    private const string Sla = "sla: each file sleeps 10 s (the examples 3 minutes) against a shorter SLA; the runs above cover duration and time with custom tasks and fail on/off, and the alert variants differ only in the notification, which SlaTests checks against a local webhook";
    private const string Http = "calls the mock HTTP server of Digdag's own test (${test_uri}), which the corpus does not include; http> itself is covered by HttpOperatorTests against a local server";
    private const string Secrets = "ShIT sets project secrets through Digdag's server API first; the local secret store and ${secret:...} resolution are covered by SecretTests";

    public static readonly RunCase[] Runs =
    [
        Success("acceptance/sla/duration_custom.dig", "SlaIT: the 5 s SLA of a 10 s sleep runs the sla's +notify tasks (TIMEOUT_FILE is created) and the attempt still succeeds", p => Assert.IsTrue(p.Exists("timeout.out")), "TIMEOUT_FILE=timeout.out"),
        new("acceptance/sla/time_custom.dig", true, "SlaIT: an sla time: a few seconds ahead (-p TIME) runs the sla's +notify tasks; the attempt still succeeds")
        {
            // The time of day is taken when the run starts, not when the table is built.
            Run = p => p.RunAsync("TIMEOUT_FILE=timeout.out", "TIME=" + DateTime.UtcNow.AddSeconds(3).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)),
            Check = p => Assert.IsTrue(p.Exists("timeout.out")),
        },
        Success("acceptance/sla/duration_fail_disabled.dig", "SlaIT: fail: false — the missed SLA does not fail the attempt", p => { }),
        Failure("acceptance/sla/duration_fail_enabled.dig", "SlaIT: fail: true — the missed SLA fails the attempt (^sla^fail: SLA violation)", p => { }) with { CheckResult = r => Assert.Contains("SLA violation", r.Describe()) },
        Success("acceptance/basic.dig", "RunIT: foo.out and bar.out in the working directory", p =>
        {
            Assert.IsTrue(p.Exists("foo.out"));
            Assert.IsTrue(p.Exists("bar.out"));
        }),
        Success("acceptance/api_projects/schedule1.dig", "ApiProjectsIT checks schedules (server); the workflow echoes \"schedule1 called\"", p => AssertLogs(p, "schedule1 called")),
        Success("acceptance/api_projects/schedule2.dig", "ApiProjectsIT checks schedules (server); the workflow echoes \"schedule2 called\"", p => AssertLogs(p, "schedule2 called")),
        Success("acceptance/backfill/backfill.dig", "BackfillIT starts it per session (backfill is a CLI feature); one session echoes ok", p => AssertLogs(p, "ok")),
        Success("acceptance/background_after/after_group.dig", "BackgroundAfterIT: after_group.txt is \"ok\" (the group waited for +before)", p => Assert.AreEqual("ok", p.Read("after_group.txt").Trim())),
        Success("acceptance/background_after/after_task.dig", "BackgroundAfterIT: after_task.txt is \"ok\" (the task waited for +before)", p => Assert.AreEqual("ok", p.Read("after_task.txt").Trim())),
        Success("acceptance/background_after/background_group.dig", "BackgroundAfterIT: background_group.txt is \"ok\" (the group ran beside +forward_task; later tasks waited for it)", p => Assert.AreEqual("ok", p.Read("background_group.txt").Trim())),
        Success("acceptance/background_after/background_task.dig", "BackgroundAfterIT: background_task.txt is \"ok\"", p => Assert.AreEqual("ok", p.Read("background_task.txt").Trim())),
        new RunCase("acceptance/conditional/conditional.dig", true, "ConditionalOperatorIT (-p n=3 -p val=1): loop_0..2.out not loop_3.out, the 4 for_each files, if.out not else.out")
        {
            Run = p => p.RunAsync("n=3", "val=1"),
            Check = p =>
            {
                string[] present = ["loop_0.out", "loop_1.out", "loop_2.out", "eat_apple.out", "throw_apple.out", "eat_orange.out", "throw_orange.out", "if.out"];
                CollectionAssert.AreEqual(present, present.Where(p.Exists).ToArray(), "files that should exist");
                Assert.IsFalse(p.Exists("loop_3.out"));
                Assert.IsFalse(p.Exists("else.out"));
            },
        },
        new RunCase("acceptance/conditional/fail.dig", true, "ConditionalOperatorIT: -p cond=fail fails with no fail.out; a rerun with -p cond=success writes success.out")
        {
            Run = async p =>
            {
                var failed = await p.RunAsync("cond=fail");
                Assert.IsFalse(failed.Succeeded, failed.Describe());
                Assert.Contains("testtest", failed.Describe());
                Assert.IsFalse(p.Exists("fail.out"));
                return await p.RetryAsync(p.Workflow, "rerun", ResumeMode.None, pairs: "cond=success");
            },
            Check = p => Assert.IsTrue(p.Exists("success.out")),
        },
        Failure("acceptance/error_task/error_task.dig", "ErrorTaskIT: fails; started.out, error1.out, error2.out exist, finished.out does not", p =>
        {
            Assert.IsTrue(p.Exists("started.out"));
            Assert.IsTrue(p.Exists("error1.out"));
            Assert.IsTrue(p.Exists("error2.out"));
            Assert.IsFalse(p.Exists("finished.out"));
        }),
        Success("acceptance/http_call/child.dig", "HttpCallIT's child (-p name=child): child.out holds the working directory, the project folder", p =>
            Assert.AreEqual(p.Project.Directory_, p.Read("child.out").Trim()), "name=child"),
        BombSucceeds("aggregate_foreach_bomb.dig", 2 + 9),
        BombSucceeds("aggregate_loop_bomb.dig", 2 + 9),
        BombSucceeds("deep_nested_foreach_bomb.dig", 32),
        BombSucceeds("deep_nested_loop_bomb.dig", 16),
        BombSucceeds("nested_foreach_bomb.dig", 2 * 9),
        BombSucceeds("nested_loop_bomb.dig", 3 * 5),
        BombSucceeds("parameterized_single_small_loop_bomb.dig", 11),
        BombSucceeds("single_large_foreach_bomb.dig", 128),
        BombSucceeds("single_large_loop_bomb.dig", 100),
        BombSucceeds("single_small_foreach_bomb.dig", 16),
        BombSucceeds("single_small_loop_bomb.dig", 11),
        Failure("acceptance/notification/fail.dig", "MailNotificationIT/ShellNotificationIT: the attempt fails (+fail exits 1); notifications are server config", p => { }),
        Success("acceptance/notification/success.dig", "MailNotificationIT/ShellNotificationIT: the attempt succeeds and echoes foobar", p => AssertLogs(p, "foobar")),
        Success("acceptance/parallel/parallel_basic.dig", "ParallelIT: succeeds, the logs hold task3", p => AssertLogs(p, "task3")),
        Success("acceptance/parallel/parallel_limit.dig", "ParallelIT: succeeds, the logs hold task3", p => AssertLogs(p, "task3")),
        Success("acceptance/parallel/parallel_variable_loop.dig", "ParallelIT: `_parallel: ${parallel}` of loop> is evaluated at run time; the logs hold loop1,task3", p => AssertLogs(p, "loop1,task3")),
        new RunCase("acceptance/parallel/invalid_parallel_variable_loop.dig", false, "ParallelIT: `_parallel: ${parallel}` rendering \"tru\" fails at run time: expected true or false for _parallel")
        {
            Check = p => { },
            CheckResult = r => Assert.Contains("_parallel: expected true, false or {limit: N}, got 'tru'", r.Describe()),
        },
        new RunCase("acceptance/require/child.dig", true, "RequireIT's child (run on its own): touches the file its test writes over __FILE__")
        {
            Run = p =>
            {
                p.Install(p.File, "child.dig", t => t.Replace("__FILE__", Path.Combine(p.Project.Directory_, "child.out"), StringComparison.Ordinal));
                return p.RunAsync();
            },
            Check = p => Assert.IsTrue(p.Exists("child.out")),
        },
        new RunCase("acceptance/require/parent.dig", true, "RequireIT: the parent's require> starts the child's session, waits for it, and succeeds with it; the child touches its file")
        {
            Run = p =>
            {
                p.Install("acceptance/require/child.dig", "child.dig", t => t.Replace("__FILE__", Path.Combine(p.Project.Directory_, "child.out"), StringComparison.Ordinal));
                return p.RunAsync();
            },
            Check = p => Assert.IsTrue(p.Exists("child.out"), "the required child ran before the parent finished"),
        },
        new RunCase("acceptance/require/parent_ignore_failure.dig", true, "RequireIT: with ignore_failure the parent succeeds although the required child fails")
        {
            Run = p =>
            {
                p.Install("acceptance/require/fail.dig", "child.dig");
                return p.RunAsync();
            },
        },
        new RunCase("acceptance/sh/env_secret_only_reject.dig", false, "ShIT: ${secret:...} of a key that is not a secret fails the task (Digdag: \"Secret not found\"; ours: \"secret 'my_params.a' is not set\")")
        {
            CheckResult = r => Assert.Contains("secret 'my_params.a' is not set", r.Describe()),
        },
        Success("acceptance/require/child_another_project.dig", "RequireIT's child (run on its own): succeeds, echoes its line", p => AssertLogs(p, "this is child_another_project")),
        new RunCase("acceptance/require/child_rerun_on.dig", false, "RequireIT's child (run on its own): -p child_fail=yes fails with \"child failed\"; a rerun with child_fail=no succeeds")
        {
            Run = async p =>
            {
                var succeeded = await p.RetryAsync(p.Workflow, "child-ok", ResumeMode.None, pairs: "child_fail=no");
                Assert.IsTrue(succeeded.Succeeded, succeeded.Describe());
                AssertLogs(p, "child succeed");
                return await p.RunAsync("child_fail=yes");
            },
            CheckResult = r => Assert.Contains("child failed", r.Describe()),
        },
        Failure("acceptance/require/fail.dig", "RequireIT's failing child: fails with \"expected failure\"", p => { }) with { CheckResult = r => Assert.Contains("expected failure", r.Describe()) },
        Failure("acceptance/retry/retry-1.dig", "RetryIT, first push: fails at +step2+b; 1-1.out and 1-2a.out exist", p =>
        {
            Assert.IsTrue(p.Exists("1-1.out"));
            Assert.IsTrue(p.Exists("1-2a.out"));
        }),
        new RunCase("acceptance/retry/retry-2.dig", true, "RetryIT, retry-1 then retry-2 pushed: retry --resume runs only +step2+b (2-2b.out alone); retry --all runs all three")
        {
            Run = async p =>
            {
                var original = await InstallAndRunRetry1Async(p);
                p.Install("acceptance/retry/retry-2.dig", "retry.dig");
                var resumed = await p.RetryAsync("retry", "resume-failed", ResumeMode.Failed, original);
                Assert.IsTrue(resumed.Succeeded, resumed.Describe());
                Assert.IsFalse(p.Exists("2-1.out"), "+step1 is reused, not run");
                Assert.IsFalse(p.Exists("2-2a.out"), "+step2+a is reused, not run");
                Assert.IsTrue(p.Exists("2-2b.out"));
                return await p.RetryAsync("retry", "all", ResumeMode.None, original);
            },
            Check = p =>
            {
                Assert.IsTrue(p.Exists("2-1.out"));
                Assert.IsTrue(p.Exists("2-2a.out"));
            },
        },
        new RunCase("acceptance/retry/retry-3.dig", true, "RetryIT, retry-1 then retry-3 pushed: retry --resume-from +step2+a skips +step1 (no 3-1.out), runs 3-2a and 3-2b")
        {
            Run = async p =>
            {
                var original = await InstallAndRunRetry1Async(p);
                p.Install("acceptance/retry/retry-3.dig", "retry.dig");
                return await p.RetryAsync("retry", "resume-from", ResumeMode.From, original, "+retry+step2+a");
            },
            Check = p =>
            {
                Assert.IsFalse(p.Exists("3-1.out"), "+step1 is before +step2+a: reused");
                Assert.IsTrue(p.Exists("3-2a.out"));
                Assert.IsTrue(p.Exists("3-2b.out"));
            },
        },
        RuntimeParams("params1_no_sch.dig", scheduled: false),
        RuntimeParams("params2_sch.dig", scheduled: true),
        Success("acceptance/schedule/daily10.dig", "ServerScheduleIT schedules it (server); one session touches foo.out", p => Assert.IsTrue(p.Exists("foo.out"))),
        Success("acceptance/schedule/hourly9.dig", "ServerScheduleIT schedules it (server); one session touches foo.out", p => Assert.IsTrue(p.Exists("foo.out"))),
        Success("acceptance/scheduler/simple.dig", "SchedulerIT schedules it (server); one session touches foo.out", p => Assert.IsTrue(p.Exists("foo.out"))),
        Success("examples/basic.dig", "example: every sh> runs, the last one's line is in the logs", p => AssertLogs(p, "please check other examples")),
        Success("examples/call.dig", "example: call> basic runs basic.dig of the same folder", p => AssertLogs(p, "calling basic...", "tasks can be nested like this.")),
        Success("examples/js_vars.dig", "example: ${1 + 1} and ${2 + 3} in task params, a param built from another (command: echo ${val})", p =>
        {
            var logs = p.Logs().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            CollectionAssert.IsSubsetOf(new[] { "1", "2", "5" }, logs, p.Logs());
        }),
        ScheduleExample("examples/schedule_daily.dig"),
        ScheduleExample("examples/schedule_hourly.dig"),
        ScheduleExample("examples/schedule_weekly.dig"),
    ];

    /// <summary>Corpus files that do not run here, each with the reason.</summary>
    public static readonly (string File, string Reason)[] NotRunnable =
    [
        ("acceptance/attempt_limit/hourly_sleep.dig", "tests the server's limit of running attempts (Digdag server feature); its task sleeps 20 s"),
        ("acceptance/backfill/backfill_sequential.dig", "tests `digdag backfill` ordering across sessions (${last_executed_session_time}): a CLI/scheduler feature; sleeps 5 s per session"),
        ("acceptance/background_after/after_without_parallel.dig", Invalid),
        ("acceptance/background_after/background_with_parallel.dig", Invalid),
        ("acceptance/config_eval_engine/invalid1.dig", Invalid),
        ("acceptance/error_task/invalid_at_group.dig", Invalid),
        ("acceptance/error_task/invalid_at_leaf.dig", Invalid),
        ("acceptance/http/http.dig", Http),
        ("acceptance/http/http_content_array.dig", Http),
        ("acceptance/http/http_content_flat_object.dig", Http),
        ("acceptance/http/http_content_object.dig", Http),
        ("acceptance/http/http_content_scalar.dig", Http),
        ("acceptance/http/http_for_each.dig", Http),
        ("acceptance/http/http_headers.dig", Http),
        ("acceptance/http/http_query.dig", Http),
        ("acceptance/parallel/parallel_variable_group.dig", "Digdag rejects it at push (`_parallel: ${...}` on a plain group is read when the workflow is compiled, not a boolean); Language accepts it (DigdagCorpusTests pins it valid), so the expected Digdag result is a validation error we do not give"),
        ("acceptance/py/config_python.dig", PythonHelpers),
        ("acceptance/py/dup_module.dig", PythonHelpers),
        ("acceptance/py/stacktrace_python.dig", PythonHelpers),
        ("acceptance/py/syntax_error_python.dig", PythonHelpers),
        ("acceptance/require/child_wait.dig", "RequireIT's child for a require> that waits: only meaningful under require> (a 10 s wait> alone proves nothing the interpreter tests do not)"),
        ("acceptance/require/parent_another_project.dig", Invalid),
        ("acceptance/require/parent_rerun_on.dig", Require),
        ("acceptance/require/parent_wait.dig", Require),
        ("acceptance/schedule/invalid_schedule.dig", Invalid),
        ("acceptance/schedule/skip_on_overtime.dig", Invalid),
        ("acceptance/scheduler/invalid.dig", Invalid),
        ("acceptance/scheduler/invalid_op.dig", Invalid),
        ("acceptance/scheduler/unknown_type.dig", Invalid),
        ("acceptance/sh/env.dig", Secrets),
        .. SlaFiles(),
        ("examples/check_task.dig", PythonHelpers),
        ("examples/conditions.dig", PythonHelpers),
        ("examples/error_task.dig", PythonHelpers),
        ("examples/export_params.dig", PythonHelpers),
        ("examples/http_for_each.dig", "http> to an external host (jsonplaceholder.typicode.com): needs a network; and http> is not in the local engine yet"),
        ("examples/include.dig", "!include of conditions.dig, whose py> helper scripts are not in the corpus"),
        ("examples/mail.dig", "mail> needs an SMTP server (and is not in the local engine)"),
        ("examples/params.dig", PythonHelpers),
        ("examples/params_child.dig", PythonHelpers),
        ("examples/python_args.dig", PythonHelpers),
        ("examples/python_generate_subtasks.dig", PythonHelpers),
        ("examples/shell_envvar.dig", ShellHelpers),
        ("examples/sla.dig", Sla),
        ("acceptance/rb/config_ruby.dig", RubyHelpers),
        ("acceptance/rb/stacktrace_ruby.dig", RubyHelpers),
        ("examples/ruby_args.dig", RubyHelpers),
        ("examples/ruby_generate_subtasks.dig", RubyHelpers),
        ("examples/sla_duration.dig", Sla),
        .. Vendor(),
    ];

    /// <summary>Files Language rejects (Digdag's own negative tests and templates): pinned in DigdagCorpusTests.</summary>
    private const string Invalid = "invalid: rejected before it runs, pinned with its message in Language's DigdagCorpusTests";

    private static (string, string)[] SlaFiles() =>
        [.. new[] { "duration_alert_default", "duration_alert_disabled", "duration_alert_enabled", "duration_fail_default", "time_alert_default", "time_alert_disabled", "time_alert_enabled", "time_fail_default", "time_fail_disabled", "time_fail_enabled" }
            .Select(f => ($"acceptance/sla/{f}.dig", Sla))];

    /// <summary>Vendor operators (BigQuery, EMR, Treasure Data, Postgres, Redshift, http_call>): rejected by Language, pinned in DigdagCorpusTests.</summary>
    private static (string, string)[] Vendor() =>
        [.. new[]
        {
            "acceptance/bigquery/ddl.dig", "acceptance/bigquery/extract-asia.dig", "acceptance/bigquery/extract.dig", "acceptance/bigquery/load-asia.dig",
            "acceptance/bigquery/load.dig", "acceptance/bigquery/query.dig", "acceptance/emr/emr.dig", "acceptance/error_server_mail/error.dig",
            "acceptance/http_call/http_call.dig", "acceptance/http_call/http_call_post.dig", "acceptance/http_call/http_call_query.dig",
            "acceptance/http_call/http_call_yaml_override.dig",
            "examples/emr.dig", "examples/td_for_each.dig", "examples/treasuredata.dig",
        }
        .Concat(new[] { "create_table", "insert_into", "insert_into_with_schema", "insert_into_wo_st", "select_download", "select_download_with_password_override", "select_store_last_results", "select_store_last_results_first" }.Select(f => $"acceptance/pg/{f}.dig"))
        .Concat(new[]
        {
            "create_table", "create_table_with_short_ttl_status_table", "insert_into_with_schema", "load_from_dynamodb", "load_from_s3_avro",
            "load_from_s3_avro_with_json_path_file", "load_from_s3_csv", "load_from_s3_csv_with_manifest", "load_from_s3_csv_with_many_options",
            "load_from_s3_csv_with_noload", "load_from_s3_csv_with_role", "load_from_s3_csv_with_short_ttl_status_table",
            "load_from_s3_csv_without_temp_credentials", "load_from_s3_fixedwidth_with_schema", "load_from_s3_json", "load_from_s3_json_with_json_path_file",
            "select_download", "select_download_with_password_override", "select_store_last_results", "select_store_last_results_first",
            "unload_to_s3", "unload_to_s3_with_manifest", "unload_to_s3_wo_temp_credentials",
        }.Select(f => $"acceptance/redshift/{f}.dig"))
        .Select(f => (f, "a vendor operator we do not provide (rejected by Language, pinned in DigdagCorpusTests)"))];

    private static RunCase Success(string file, string asserts, Action<CompatProject> check, params string[] pairs) =>
        new(file, true, asserts) { Run = p => p.RunAsync(pairs), Check = check };

    private static RunCase Failure(string file, string asserts, Action<CompatProject> check) =>
        new(file, false, asserts) { Check = check };

    /// <summary>
    /// LimitTaskCountIT runs these with Digdag's task limit lowered to 10 and expects "Too many
    /// tasks"; under Digdag's default limit (1,000 tasks an attempt) each succeeds, which is what
    /// runs here: every generated subtask echoes once.
    /// </summary>
    private static RunCase BombSucceeds(string file, int echoes) =>
        new($"acceptance/limit_task_count/{file}", true, $"LimitTaskCountIT, under Digdag's default task limit: succeeds with {echoes} generated echo> tasks (the lowered limit is not ours)")
        {
            CheckResult = r => Assert.AreEqual(echoes, r.Tasks.Count(t => IsLeaf(r, t.TaskName)), r.Describe()),
        };

    /// <summary>A task with no child: in these files, exactly the generated echo> tasks.</summary>
    private static bool IsLeaf(RunResult run, string name) =>
        !run.Tasks.Any(t => t.TaskName.StartsWith(name + "^", StringComparison.Ordinal) || t.TaskName.StartsWith(name + "+", StringComparison.Ordinal));

    /// <summary>RuntimeParamsIT: built-ins given as session params do not win, except next/last_session_time of an unscheduled workflow.</summary>
    private static RunCase RuntimeParams(string file, bool scheduled)
    {
        var workflow = Path.GetFileNameWithoutExtension(file);
        return new RunCase($"acceptance/runtime_params/{file}", true, $"RuntimeParamsIT (--retry retry01, built-ins given as -p): project/session/attempt ids, session_time, session_uuid keep theirs, timezone UTC, task_name +{workflow}+t_task_name, retry_attempt_name retry01; next/last_session_time {(scheduled ? "keep theirs (scheduled)" : "are the given ones (no schedule)")}")
        {
            Run = p =>
            {
                var outFile = Path.Combine(p.Project.Directory_, "run.out");
                p.Install(p.File, file, t => t.Replace("__FILE__", outFile, StringComparison.Ordinal));
                return p.Project.RunAsync(workflow, p.Params(
                    "project_id=-1", "session_id=-2", "attempt_id=-3", "session_time=2010-02-02T11:22:33+00:00",
                    "next_session_time=2010-03-03T11:22:33+00:00", "last_session_time=2010-01-01T11:22:33+00:00", "session_uuid=012345",
                    "timezone=JST", "task_name=tasktasktask", "retry_attempt_name=retryretryretry"), retryName: "retry01");
            },
            Check = p =>
            {
                var values = p.Read("run.out").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(l => l.Split(": ", 2))
                    .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
                var text = p.Read("run.out");
                Assert.AreNotEqual("-1", values["project_id"], text);
                Assert.AreNotEqual("-2", values["session_id"], text);
                Assert.AreNotEqual("-3", values["attempt_id"], text);
                Assert.AreNotEqual("2010-02-02T11:22:33+00:00", values["session_time"], text);
                Assert.AreNotEqual("012345", values["session_uuid"], text);
                Assert.AreEqual("UTC", values["timezone"], text);
                Assert.AreEqual($"+{workflow}+t_task_name", values["task_name"], text);
                Assert.AreEqual("retry01", values["retry_attempt_name"], text);
                if (scheduled)
                {
                    Assert.AreNotEqual("2010-03-03T11:22:33+00:00", values["next_session_time"], text);
                    Assert.AreNotEqual("2010-01-01T11:22:33+00:00", values["last_session_time"], text);
                }
                else
                {
                    Assert.AreEqual("2010-03-03T11:22:33+00:00", values["next_session_time"], text);
                    Assert.AreEqual("2010-01-01T11:22:33+00:00", values["last_session_time"], text);
                }
            },
        };
    }

    private static RunCase ScheduleExample(string file) =>
        Success(file, "example: echoes its session_time (America/Los_Angeles)", p => AssertLogs(p, "This schedule is for 2026-11-20T16:00:00-08:00"));

    private static async Task<RunResult> InstallAndRunRetry1Async(CompatProject p)
    {
        p.Install("acceptance/retry/retry-1.dig", "retry.dig");
        var original = await p.Project.RunAsync("retry", p.Params());
        Assert.IsFalse(original.Succeeded, original.Describe());
        var again = await p.RetryAsync("retry", "keep-revision-all", ResumeMode.None, original);
        Assert.IsFalse(again.Succeeded, "the same revision fails again: " + again.Describe());
        return original;
    }

    private static void AssertLogs(CompatProject p, params string[] texts)
    {
        var logs = p.Logs();
        foreach (var text in texts)
        {
            Assert.Contains(text, logs, "in the task logs");
        }
    }
}

/// <summary>A runnable corpus file: how it runs (default: once, with <c>outdir</c>), its expected outcome, what is asserted after.</summary>
internal sealed record RunCase(string File, bool Succeeds, string Asserts)
{
    public Func<CompatProject, Task<RunResult>> Run { get; init; } = p => p.RunAsync();

    public Action<CompatProject> Check { get; init; } = _ => { };

    public Action<RunResult> CheckResult { get; init; } = _ => { };
}
