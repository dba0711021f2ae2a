using System.Net;
using System.Text.Json;
using BatchOrchestrator.Aot.Tests.Support;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using BatchOrchestrator.Executors.Tests.Support;

namespace BatchOrchestrator.Aot.Tests;

/// <summary>
/// The Native AOT <c>bo</c> doing what a user does with it first. Each feature here leans on
/// something reflection used to do: JSON of the orchestration and the stores, the HTTP API,
/// templates (Jint), YAML kubeconfig and the Kubernetes client, the client commands.
/// </summary>
[TestClass]
public sealed class AotSmokeTests
{
    [TestMethod]
    public async Task Check_describes_the_main_job()
    {
        using var folder = new TempFolder("bo-aot-");
        var project = CopyOfWorkflows(folder);

        var (exit, output, error) = await AotBo.RunAsync(project, null, "check", "ad_report.dig");

        Assert.AreEqual(0, exit, output + error);
        Assert.Contains("ad_report.dig: ok", output);
        Assert.Contains("+meta_ads", output);
    }

    [TestMethod]
    public async Task The_main_job_runs_to_success_with_its_flaky_task_retried()
    {
        using var folder = new TempFolder("bo-aot-");
        var project = CopyOfWorkflows(folder);

        var (exit, output, error) = await AotBo.RunAsync(project, null, "run", "ad_report.dig", "--session", "2026-11-21");

        Assert.AreEqual(0, exit, output + error);
        // Try 1 of the flaky platform fails, try 2 succeeds.
        Assert.Contains("+ad_report+collect+meta_ads: GET https://api.meta_ads.example/v1/reports?date=2026-11-21 -> 503 Service Unavailable (simulated)", output);
        Assert.Contains("+ad_report+collect+meta_ads: saved 22 campaigns of meta_ads", output);
        var tasks = await AotBo.RunAsync(project, null, "tasks", "1", "--project", project);
        StringAssert.Matches(tasks.Output, new System.Text.RegularExpressions.Regex(@"\+meta_ads\s+success\s+2 "), tasks.Output + tasks.Error);
        Assert.IsTrue(File.Exists(Path.Combine(project, "output", "20261121", "meta_ads.csv")), "its retry saved the report");
        Assert.IsTrue(new FileInfo(Path.Combine(project, "output", "ad_report.sqlite")).Length > 0, "py> loaded the database");
    }

    [TestMethod]
    public async Task Retry_of_a_failed_attempt_reruns_only_what_failed_with_merged_params()
    {
        using var folder = new TempFolder("bo-aot-");
        folder.Write("resume.dig", "+first:\n  sh>: echo first >> runs.txt\n+check:\n  sh>: echo \"check ${mode}\" >> runs.txt && test \"${mode}\" = fixed\n+last:\n  sh>: echo last >> runs.txt\n");

        var failed = await AotBo.RunAsync(folder.Path, null, "run", "resume.dig", "--session", "2026-11-21", "-p", "mode=broken");
        Assert.AreEqual(1, failed.Exit, failed.Output + failed.Error);
        var retry = await AotBo.RunAsync(folder.Path, null, "retry", "1", "--failed", "-p", "mode=fixed", "--project", folder.Path);

        Assert.AreEqual(0, retry.Exit, retry.Output + retry.Error);
        Assert.Contains("reusing the tasks that succeeded", retry.Output);
        CollectionAssert.AreEqual(new[] { "first", "check broken", "check fixed", "last" }, File.ReadAllLines(Path.Combine(folder.Path, "runs.txt")));
    }

    [TestMethod]
    public async Task A_project_made_by_init_runs()
    {
        using var folder = new TempFolder("bo-aot-");
        var project = Path.Combine(folder.Path, "fresh");

        var init = await AotBo.RunAsync(folder.Path, null, "init", "-t", "echo", project);
        Assert.AreEqual(0, init.Exit, init.Output + init.Error);
        var run = await AotBo.RunAsync(folder.Path, null, "run", Path.Combine(project, "fresh.dig"), "--session", "2026-11-21");

        Assert.AreEqual(0, run.Exit, run.Output + run.Error);
        Assert.Contains("+fresh+each^sub+for-0=part=0=first: working on the first part of 2026-11-21", run.Output);
    }

    [TestMethod]
    public async Task Templates_evaluate_moment_and_stored_params()
    {
        using var folder = new TempFolder("bo-aot-");
        folder.Write("dates.dig", """
            +store:
              sh>: echo "tomorrow=${moment(session_time).add(1, 'days').format('YYYY-MM-DD')}" >> "$BO_OUTPUT"
            +use:
              sh>: echo "${tomorrow} ${session_date_compact}" > dates.txt
            """);

        var (exit, output, error) = await AotBo.RunAsync(folder.Path, null, "run", "dates.dig", "--session", "2026-11-21");

        Assert.AreEqual(0, exit, output + error);
        Assert.AreEqual("2026-11-22 20261121\n", await File.ReadAllTextAsync(Path.Combine(folder.Path, "dates.txt")));
    }

    [TestMethod]
    public async Task The_server_starts_answers_the_API_and_takes_a_push()
    {
        using var folder = new TempFolder("bo-aot-");
        var project = Path.Combine(folder.Path, "shop");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "nightly.dig"), "+a:\n  echo>: hi\n");
        var (process, address) = await AotBo.StartServerAsync(project);
        try
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = AotBo.Guard };
            using var projects = await client.GetAsync(new Uri("api/projects", UriKind.Relative));
            var body = await projects.Content.ReadAsStringAsync();

            Assert.AreEqual(HttpStatusCode.OK, projects.StatusCode, body);
            using var json = JsonDocument.Parse(body);
            var first = json.RootElement.EnumerateArray().Single();
            Assert.AreEqual("shop", first.GetProperty("name").GetString(), body);
            Assert.AreEqual("nightly", first.GetProperty("workflows").EnumerateArray().Single().GetString(), body);

            // Its schemas are made from the compile-time JSON metadata of every body the API reads and writes.
            using var openApi = await client.GetAsync(new Uri("openapi/v1.json", UriKind.Relative));
            var document = await openApi.Content.ReadAsStringAsync();
            Assert.AreEqual(HttpStatusCode.OK, openApi.StatusCode, document);
            Assert.Contains("\"/api/projects\"", document);

            // The client commands speak JSON to the same server.
            var pushed = Path.Combine(folder.Path, "etl");
            Directory.CreateDirectory(pushed);
            await File.WriteAllTextAsync(Path.Combine(pushed, "etl.dig"), "+extract:\n  echo>: extracted\n");
            var push = await AotBo.RunAsync(folder.Path, null, "push", pushed, "-e", address.ToString());
            Assert.AreEqual(0, push.Exit, push.Output + push.Error);
            var workflows = await AotBo.RunAsync(folder.Path, null, "workflows", "-e", address.ToString());
            Assert.AreEqual(0, workflows.Exit, workflows.Output + workflows.Error);
            StringAssert.Matches(workflows.Output, new System.Text.RegularExpressions.Regex(@"etl\s+etl\s+\S+"));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    [TestMethod]
    public async Task A_kubernetes_task_runs_as_a_Job_on_the_cluster_of_the_kubeconfig()
    {
        using var certificates = new TestCertificates();
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = "host-token", ServerCertificate = certificates.Server });
        using var folder = new TempFolder("bo-aot-");
        var kubeconfig = await FakeKubeconfig.WriteAsync(Path.Combine(folder.Path, "kubeconfig"), server, certificates, "host-token", "batch");
        folder.Write("cluster.dig", """
            +heavy:
              sh>: echo in the cluster
              container: {executor: kubernetes, image: fake/run}
            """);
        var environment = new Dictionary<string, string> { ["BO_KUBERNETES_CONTEXT"] = "fake", ["KUBECONFIG"] = kubeconfig };

        var (exit, output, error) = await AotBo.RunAsync(folder.Path, environment, "run", "cluster.dig", "--session", "2026-11-21");

        Assert.AreEqual(0, exit, output + error);
        Assert.AreEqual(1, server.Cluster.Creates);
        var log = Directory.EnumerateFiles(Path.Combine(folder.Path, ".bo", "logs"), "*", SearchOption.AllDirectories).Single(f => f.Contains("heavy", StringComparison.Ordinal));
        Assert.AreEqual("in the cluster\n", await File.ReadAllTextAsync(log));
    }

    private static string CopyOfWorkflows(TempFolder folder)
    {
        var source = Path.Combine(AotBo.RepositoryRoot(), "workflows");
        var project = Path.Combine(folder.Path, "workflows");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith(".bo", StringComparison.Ordinal) || relative.StartsWith("output", StringComparison.Ordinal) || relative.Contains("__pycache__", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(project, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            if (relative.EndsWith(".sh", StringComparison.Ordinal))
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(file));
            }
        }

        return project;
    }
}
