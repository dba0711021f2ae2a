using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// Issue 4's reliability test for invariant 6: a workflow tries to leak a secret through every
/// path a local run has, and the value must be nowhere the engine writes — logs, task and
/// attempt records, orchestration history, or any byte of the state folder's databases.
/// </summary>
[TestClass]
public sealed class SecretTests
{
    private const string Secret = "Sup3r-s3cret-Value-42";

    [TestMethod]
    public async Task A_secret_never_appears_in_logs_records_history_or_databases_whatever_path_it_is_pushed_through()
    {
        await using var project = await WorkflowProject.StartAsync();
        await project.Engine!.Secrets.SetAsync("project", "api.token", Secret, CancellationToken.None);
        project.Write("leak.py", """
            import os

            def show():
                print("py stdout " + os.environ["TOKEN"])

            def boom():
                raise ValueError("py error " + os.environ["TOKEN"])
            """);

        // echo> runs in the orchestrator, where no value may ever be: it prints the reference as written.
        project.Write("leak.dig", """
            +echo:
              echo>: token is ${secret:api.token}
            +env_out:
              _env:
                TOKEN: ${secret:api.token}
              sh>: echo "stdout $TOKEN"; echo "stderr $TOKEN" 1>&2; printf '%s' "$TOKEN" | sha256sum
            +argument:
              sh>: echo "argument ${secret:api.token}"
            +char_by_char:
              _env:
                TOKEN: ${secret:api.token}
              sh>: printf '%s\n' "$TOKEN" | sed 's/./&\n/g' | while IFS= read -r c; do printf '%s' "$c"; done; echo
            +store:
              _env:
                TOKEN: ${secret:api.token}
              sh>: echo "leaked=$TOKEN" > "$BO_OUTPUT"
            +after_store:
              sh>: echo "stored ${leaked}"
            +py_print:
              _env:
                TOKEN: ${secret:api.token}
              py>: leak.show
            """);
        project.Write("fail_sh.dig", """
            _error:
              +report:
                echo>: "failed: ${error.message}"
            +fail:
              _env:
                TOKEN: ${secret:api.token}
              sh>: echo "about to fail with $TOKEN"; echo "error $TOKEN" 1>&2; exit 3
            """);
        project.Write("fail_py.dig", """
            +boom:
              _env:
                TOKEN: ${secret:api.token}
              py>: leak.boom
            """);

        var leak = await project.RunAsync("leak");
        var failSh = await project.RunAsync("fail_sh");
        var failPy = await project.RunAsync("fail_py");

        // The value did reach the processes, masked on the way out.
        Assert.IsTrue(leak.Succeeded, leak.Describe());
        Assert.AreEqual("token is ${secret:api.token}\n", await project.LogAsync(leak, "+leak+echo"));
        var envLog = await project.LogAsync(leak, "+leak+env_out");
        Assert.Contains("stdout ***", envLog);
        Assert.Contains("stderr ***", envLog);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Secret))), envLog);
        Assert.AreEqual("argument ***\n", await project.LogAsync(leak, "+leak+argument"));
        Assert.AreEqual("***\n", await project.LogAsync(leak, "+leak+char_by_char"));
        Assert.AreEqual("stored ***\n", await project.LogAsync(leak, "+leak+after_store"));
        Assert.Contains("py stdout ***", await project.LogAsync(leak, "+leak+py_print"));
        Assert.IsFalse(failSh.Succeeded);
        Assert.Contains("error ***", failSh.Task("+fail_sh+fail").Error ?? "", failSh.Describe());
        Assert.Contains("failed: ", await project.LogAsync(failSh, "+fail_sh^error+report"));
        Assert.IsFalse(failPy.Succeeded);
        Assert.Contains("ValueError: py error ***", failPy.Task("+fail_py+boom").Error ?? "", failPy.Describe());

        var places = new List<(string Where, string Text)>();
        foreach (var run in new[] { leak, failSh, failPy })
        {
            var attempt = await project.Engine.Runs.GetAttemptAsync(run.AttemptId, CancellationToken.None);
            places.Add(($"attempt {run.AttemptId}", JsonSerializer.Serialize(attempt)));
            places.Add(($"outcome {run.AttemptId}", JsonSerializer.Serialize(run.Outcome)));
            foreach (var task in await project.Engine.Runs.GetTasksAsync(run.AttemptId, CancellationToken.None))
            {
                places.Add(($"task record {task.TaskName}", JsonSerializer.Serialize(task)));
            }
        }

        places.AddRange(await HistoryAsync(project.Engine.Client));
        foreach (var log in Directory.EnumerateFiles(Path.Combine(project.StateDirectory, "logs"), "*", SearchOption.AllDirectories))
        {
            places.Add(($"log {log}", await File.ReadAllTextAsync(log)));
        }

        Assert.IsTrue(places.Any(p => p.Where.StartsWith("history", StringComparison.Ordinal)), "no history was read");
        foreach (var (where, text) in places)
        {
            Assert.DoesNotContain(Secret, text, $"the secret leaked into {where}");
        }

        // Last, the raw bytes of every file the engine keeps: databases with their WAL, revisions, logs, the secret file.
        var value = Encoding.UTF8.GetBytes(Secret);
        var files = Directory.GetFiles(project.StateDirectory, "*", SearchOption.AllDirectories);
        Assert.IsTrue(files.Any(f => Path.GetFileName(f).StartsWith("runtime.db", StringComparison.Ordinal)), "no runtime database");
        foreach (var file in files)
        {
            if (file.EndsWith(".lock", StringComparison.Ordinal))
            {
                // Held exclusively by the running engine, so unreadable; too short to hold the value.
                Assert.IsLessThan(value.Length, new FileInfo(file).Length, file);
                continue;
            }

            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.AreEqual(-1, copy.GetBuffer().AsSpan(0, (int)copy.Length).IndexOf(value), $"the secret is in the bytes of {file}");
        }
    }

    [TestMethod]
    public async Task A_task_using_a_secret_that_is_not_set_fails_naming_the_key()
    {
        await using var project = await WorkflowProject.StartAsync();
        project.Write("missing.dig", """
            +use:
              _env:
                TOKEN: ${secret:not.set}
              sh>: echo "$TOKEN"
            """);

        var run = await project.RunAsync("missing");

        Assert.IsFalse(run.Succeeded);
        Assert.Contains("secret 'not.set' is not set for project 'project' (set it with: bo secrets --set not.set)", run.Task("+missing+use").Error ?? "", run.Describe());
    }

    /// <summary>Everything the runtime keeps of every instance: input, output, status, failure, and each history event's payload and failure.</summary>
    private static async Task<List<(string Where, string Text)>> HistoryAsync(IOrchestrationClient client)
    {
        var places = new List<(string, string)>();
        string? continuation = null;
        do
        {
            var page = await client.QueryInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true, PageSize = 500, ContinuationToken = continuation });
            foreach (var instance in page.Instances)
            {
                places.Add(($"history {instance.InstanceId} metadata", string.Join("\n", instance.SerializedInput, instance.SerializedOutput, instance.SerializedCustomStatus, Describe(instance.FailureDetails))));
                foreach (var e in await client.GetHistoryAsync(instance.InstanceId))
                {
                    places.Add(($"history {instance.InstanceId} event {e.EventId} {e.EventType} {e.Name}", string.Join("\n", e.Name, e.Payload, Describe(e.Failure))));
                }
            }

            continuation = page.ContinuationToken;
        }
        while (continuation is not null);
        return places;
    }

    private static string Describe(TaskFailureDetails? failure) =>
        failure is null ? string.Empty : $"{failure.ErrorType}: {failure.ErrorMessage}\n{failure.StackTrace}\n{Describe(failure.InnerFailure)}";
}
