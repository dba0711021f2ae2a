using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Kubernetes.Jobs;
using BatchOrchestrator.Executors.Kubernetes.Logs;
using k8s.Models;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Jobs;

/// <summary>
/// The exact container command and environment <see cref="JobManifest"/> builds, run by this
/// machine's <c>/bin/sh</c> as a container would run them — only <c>BO_TASK_DIR</c> is moved to a
/// temporary folder — and the log read back the way the executor reads the pod's log.
/// </summary>
[TestClass]
public sealed class CommandWrapperShellTests
{
    private const string Script = """
        echo "cwd=$(pwd)"
        echo "greeting=$GREETING"
        cat "$BO_TASK_DIR/pkg/mod.py"
        echo "files-left=$(env | grep -c '^BO_FILE_DATA_')"
        printf '%s' "$OUTPUT_TEXT" > "$BO_OUTPUT"
        printf 'last line without newline'
        exit 7
        """;

    [TestMethod]
    public async Task Files_appear_the_command_runs_in_the_image_folder_the_exit_code_is_kept_and_the_output_decodes()
    {
        var root = Directory.CreateTempSubdirectory("bo-wrapper-").FullName;
        try
        {
            var workdir = Directory.CreateDirectory(Path.Combine(root, "workdir")).FullName;
            var taskDir = Path.Combine(root, "task");
            // Long enough for base64 to wrap its lines; quotes, dollars, backslashes and non-ASCII text.
            var output = "{\"rows\": 42, \"note\": \"$HOME `x` \\\\ 'q' — 日本語\"}" + new string('x', 200) + "\n";
            var module = "def f():\n    return \"$x\" + '\\n'\n\n\n";
            var request = Request(Script, new Dictionary<string, string> { ["pkg/mod.py"] = module, ["task.json"] = "{\"a\":1}" }, output);
            var pod = Pod(request);

            var (exitCode, stdout) = await RunAsync(pod.Command, pod.Environment, workdir, taskDir);

            Assert.AreEqual(7, exitCode);
            Assert.AreEqual(module, await File.ReadAllTextAsync(Path.Combine(taskDir, "pkg", "mod.py")));
            Assert.AreEqual("{\"a\":1}", await File.ReadAllTextAsync(Path.Combine(taskDir, "task.json")));
            var log = LogBatch.Read(Timestamped(stdout), new LogCursor(), pod.OutputToken, final: true);
            Assert.AreEqual(output, log.Output);
            Assert.AreEqual($"cwd={workdir}\ngreeting=hi\n{module}files-left=0\nlast line without newline\n", log.NewText);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public async Task Without_output_or_files_no_block_is_printed_and_success_is_zero()
    {
        var root = Directory.CreateTempSubdirectory("bo-wrapper-").FullName;
        try
        {
            var pod = Pod(Request("echo done", new Dictionary<string, string>(), ""));

            var (exitCode, stdout) = await RunAsync(pod.Command, pod.Environment, root, Path.Combine(root, "task"));

            Assert.AreEqual(0, exitCode);
            Assert.AreEqual("done\n", stdout);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public async Task A_command_line_and_files_that_held_secrets_are_rebuilt_from_the_Secret_with_their_quoting()
    {
        var root = Directory.CreateTempSubdirectory("bo-wrapper-").FullName;
        try
        {
            var script = "printf '%s|%s|%s\\n' \"$1\" \"$2\" \"$(cat \"$BO_TASK_DIR/task.json\")\"; echo \"args-left=$(env | grep -c '^BO_ARG_')\"";
            var request = Request(script, new Dictionary<string, string> { ["task.json"] = "{\"token\":\"t0k-'$x'\"}" }, "") with
            {
                Command = ["/bin/sh", "-c", script, "argv0", "pass word 'quoted' $HOME", "second"],
                SecretParts = new CommandSecretParts([], Command: true, Files: true),
            };
            var pod = Pod(request);

            var (exitCode, stdout) = await RunAsync(pod.Command, pod.Environment, root, Path.Combine(root, "task"));

            Assert.AreEqual(0, exitCode, stdout);
            CollectionAssert.AreEqual(new[] { "/bin/sh", "-c", CommandWrapper.Script, CommandWrapper.ArgumentZero }, pod.Command, "the command line is not in the Job spec");
            Assert.AreEqual("pass word 'quoted' $HOME|second|{\"token\":\"t0k-'$x'\"}\nargs-left=0\n", stdout);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static CommandRequest Request(string script, Dictionary<string, string> files, string output) => new()
    {
        AttemptId = "attempt-1",
        TaskName = "+wf+step",
        Try = 1,
        Command = ["/bin/sh", "-c", script],
        Environment = new Dictionary<string, string> { ["GREETING"] = "hi", ["OUTPUT_TEXT"] = output },
        WorkingDirectory = "/unused",
        Container = JsonSerializer.SerializeToElement(new { executor = "kubernetes", image = "busybox" }),
        Files = files,
        Log = new TaskLogKey("p", "wf", "2026-01-01T00:00:00+00:00", "a", "+wf+step", 1),
    };

    /// <summary>The container's command and environment, read from the manifest the executor would POST.</summary>
    private static (List<string> Command, Dictionary<string, string> Environment, string OutputToken) Pod(CommandRequest request)
    {
        const string name = "bo-wrapper-test";
        var objects = JobManifest.Build(request, ContainerSettings.Read(request.Container), name, "batch", TimeSpan.FromHours(1));
        var container = objects.Job.Spec.Template.Spec.Containers[0];
        var command = container.Command.ToList();

        // As the kubelet does: secretKeyRef values are read from the try's Secret.
        string Value(V1EnvVar e) => e.ValueFrom?.SecretKeyRef is { } reference
            ? Encoding.UTF8.GetString(objects.Secret!.Data[reference.Key])
            : e.Value;
        var environment = container.Env.ToDictionary(e => e.Name, Value);
        return (command, environment, JobManifest.OutputToken(name));
    }

    private static async Task<(int ExitCode, string Stdout)> RunAsync(List<string> command, Dictionary<string, string> environment, string workdir, string taskDir)
    {
        var start = new ProcessStartInfo(command[0], command.Skip(1)) { RedirectStandardOutput = true, WorkingDirectory = workdir, UseShellExecute = false };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        // The one substitution: the task folder of a container, moved under this test's folder.
        start.Environment["BO_TASK_DIR"] = taskDir;
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout);
    }

    /// <summary>The pod log as the API serves it with <c>timestamps=true</c>.</summary>
    private static string Timestamped(string stdout)
    {
        var lines = stdout.Split('\n');
        var count = stdout.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        var result = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            result.Append(CultureInfo.InvariantCulture, $"2026-11-21T00:00:{i:00}.000000001Z {lines[i]}\n");
        }

        return result.ToString();
    }
}
