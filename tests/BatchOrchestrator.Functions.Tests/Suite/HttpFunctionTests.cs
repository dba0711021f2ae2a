using System.Text.Json;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Functions.Functions;
using BatchOrchestrator.Functions.Tests.Harness;

namespace BatchOrchestrator.Functions.Tests.Suite;

/// <summary>
/// The app's HTTP functions (<c>StartSession</c>, <c>Api</c>, <c>OpenApi</c>, <c>Ui</c>) with the
/// sessions they start running on the real Durable Task worker.
/// <para>
/// How they are called: by calling the function methods with real request objects
/// (<see cref="FunctionCalls"/>), not through the worker's ASP.NET Core integration. That
/// integration cannot run without the Functions host: the worker host refuses to start without
/// <c>Functions:Worker:HostEndpoint</c> (the host's gRPC endpoint), and a request reaching its
/// Kestrel server only runs a function when the host's gRPC invocation with the same
/// <c>x-ms-invocation-id</c> arrives (its coordinator waits for it); emulating that is writing a
/// Functions host, the very thing these tests cannot check. What is real: the app's services
/// built as <c>Program.cs</c> builds them, the ASP.NET Core request and response, the Durable
/// extension's client binding over gRPC to the task hub, the integration's <c>HttpRequestData</c>,
/// the execution of the returned <c>IActionResult</c>, and the worker running the attempt.
/// </para>
/// </summary>
[TestClass]
public sealed partial class HttpFunctionTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(3);

    [TestMethod]
    public async Task StartSession_answers_202_with_the_attempt_and_its_management_urls_and_the_attempt_runs_on_the_worker()
    {
        await using var app = await App.StartAsync();
        var request = HttpBody.Json("""{"sessionTime": "2026-11-21T00:00:00+09:00", "params": {"note": "from http"}}""");

        var first = await app.StartSessionAsync("workflows", "ad_report", request);

        Assert.AreEqual(202, first.Status, first.ToString());
        StringAssert.StartsWith(first.ContentType, "application/json", first.ToString());
        var body = first.Json();
        var attemptId = body.GetProperty("attemptId").GetString()!;
        Assert.AreEqual("bo:workflows:ad_report:2026-11-20T15:00:00Z:0", attemptId, "the attempt of the session the body names");
        Assert.IsTrue(body.GetProperty("isNew").GetBoolean());

        // Durable's management URLs for the attempt's instance, on the public host, with the query
        // string (task hub, connection, system key) the Functions host gives the client binding.
        var management = body.GetProperty("management");
        var instance = $"https://{FunctionCalls.PublicHost}/runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(attemptId)}";
        var query = FunctionCalls.ManagementQuery;
        Assert.AreEqual(attemptId, management.GetProperty("id").GetString());
        Assert.AreEqual($"{instance}?{query}", management.GetProperty("statusQueryGetUri").GetString());
        Assert.AreEqual($"{instance}/raiseEvent/{{eventName}}?{query}", management.GetProperty("sendEventPostUri").GetString());
        Assert.AreEqual($"{instance}/terminate?reason={{text}}&{query}", management.GetProperty("terminatePostUri").GetString());
        Assert.AreEqual($"{instance}?{query}", management.GetProperty("purgeHistoryDeleteUri").GetString());

        // The same request while the attempt runs: the same attempt, not a new one.
        var again = await app.StartSessionAsync("workflows", "ad_report", request);
        Assert.AreEqual(202, again.Status, again.ToString());
        Assert.AreEqual(attemptId, again.Json().GetProperty("attemptId").GetString());
        Assert.IsFalse(again.Json().GetProperty("isNew").GetBoolean());
        Assert.AreEqual($"{instance}?{query}", again.Json().GetProperty("management").GetProperty("statusQueryGetUri").GetString());

        var outcome = await app.Runtime.Launcher.WaitAsync(attemptId, app.Cancellation);
        Assert.IsTrue(outcome.Succeeded, string.Join("; ", outcome.Errors.Select(e => $"{e.TaskName}: {e.Message}")));
        var attempt = await app.Runs.GetAttemptAsync(attemptId, app.Cancellation);
        Assert.AreEqual(AttemptStatus.Success, attempt?.Status);
        Assert.AreEqual("from http", attempt!.Params?.GetProperty("note").GetString(), "the body's params are the session's");

        // And once it has finished: still that attempt, still a success.
        var after = await app.StartSessionAsync("workflows", "ad_report", request);
        Assert.AreEqual(202, after.Status, after.ToString());
        Assert.AreEqual(attemptId, after.Json().GetProperty("attemptId").GetString());
        Assert.IsFalse(after.Json().GetProperty("isNew").GetBoolean());
        Assert.AreEqual(AttemptStatus.Success, (await app.Runs.GetAttemptAsync(attemptId, app.Cancellation))?.Status, "a repeated start leaves the finished attempt as it was");

        var attempts = await app.Runs.GetAttemptsAsync(attempt.Session.SessionId, app.Cancellation);
        Assert.HasCount(1, attempts, "one attempt of the session");
        CollectionAssert.AreEqual(new[] { attemptId }, (await app.WorkflowInstancesAsync()).ToArray(), "one orchestration on the task hub");
    }

    [TestMethod]
    public async Task StartSession_reads_a_chunked_body_without_a_length()
    {
        await using var app = await App.StartAsync();

        var answer = await app.StartSessionAsync("workflows", "ad_report", HttpBody.Json("""{"sessionTime": "2026-11-19T00:00:00+09:00"}""", chunked: true));

        Assert.AreEqual(202, answer.Status, answer.ToString());
        Assert.AreEqual("bo:workflows:ad_report:2026-11-18T15:00:00Z:0", answer.Json().GetProperty("attemptId").GetString(), "the session time of the body, not now");
        var outcome = await app.Runtime.Launcher.WaitAsync(answer.Json().GetProperty("attemptId").GetString()!, app.Cancellation);
        Assert.IsTrue(outcome.Succeeded);
    }

    [TestMethod]
    public async Task StartSession_answers_404_json_for_an_unknown_project_or_workflow_and_starts_nothing()
    {
        await using var app = await App.StartAsync();

        var project = await app.StartSessionAsync("nosuch", "ad_report", HttpBody.Json("{}"));
        var workflow = await app.StartSessionAsync("workflows", "nosuch", HttpBody.Json("{}"));

        foreach (var answer in new[] { project, workflow })
        {
            Assert.AreEqual(404, answer.Status, answer.ToString());
            StringAssert.StartsWith(answer.ContentType, "application/json", answer.ToString());
        }

        StringAssert.Contains(project.Json().GetProperty("message").GetString(), "nosuch");
        StringAssert.Contains(workflow.Json().GetProperty("message").GetString(), "nosuch");
        Assert.IsEmpty(await app.WorkflowInstancesAsync());
        Assert.IsEmpty((await app.Runs.ListSessionsAsync(new SessionQuery(), app.Cancellation)).Items);
    }

    [TestMethod]
    public async Task StartSession_answers_400_json_without_a_stack_trace_for_a_malformed_body_and_starts_nothing()
    {
        await using var app = await App.StartAsync();

        foreach (var body in new[] { """{"sessionTime": "2026-11-21T00:00:00+09:00", """, """{"sessionTime": "yesterday"}""", "[1, 2]", """{"params": 3}""" })
        {
            var answer = await app.StartSessionAsync("workflows", "ad_report", HttpBody.Json(body));

            Assert.AreEqual(400, answer.Status, $"{body} → {answer}");
            StringAssert.StartsWith(answer.ContentType, "application/json", answer.ToString());
            var message = answer.Json().GetProperty("message").GetString();
            Assert.IsFalse(string.IsNullOrWhiteSpace(message), answer.ToString());
            AssertNoStackTrace(answer);
        }

        Assert.IsEmpty(await app.WorkflowInstancesAsync());
    }

    [TestMethod]
    public async Task StartSession_answers_413_json_for_a_body_over_1_MiB_with_or_without_a_length_and_starts_nothing()
    {
        await using var app = await App.StartAsync();
        var large = "{\"params\": {\"blob\": \"" + new string('x', 1024 * 1024) + "\"}}";

        foreach (var chunked in new[] { false, true })
        {
            var answer = await app.StartSessionAsync("workflows", "ad_report", HttpBody.Json(large, chunked));

            Assert.AreEqual(413, answer.Status, $"chunked: {chunked}: {answer.Status} {answer.ContentType}");
            StringAssert.StartsWith(answer.ContentType, "application/json");
            StringAssert.Contains(answer.Json().GetProperty("message").GetString(), "over");
        }

        Assert.IsEmpty(await app.WorkflowInstancesAsync());
    }

    [TestMethod]
    public async Task The_api_lists_the_shipped_project()
    {
        await using var app = await App.StartAsync();

        var answer = await app.ApiAsync("GET", "/api/projects");

        Assert.AreEqual(200, answer.Status, answer.ToString());
        StringAssert.StartsWith(answer.ContentType, "application/json", answer.ToString());
        var project = answer.Json().EnumerateArray().Single();
        Assert.AreEqual("workflows", project.GetProperty("name").GetString());
        CollectionAssert.AreEqual(new[] { "ad_report" }, project.GetProperty("workflows").EnumerateArray().Select(w => w.GetString()).ToArray());
    }

    [TestMethod]
    public async Task A_session_started_through_the_api_runs_on_the_worker_and_the_api_shows_its_attempt_and_tasks_succeeded()
    {
        await using var app = await App.StartAsync();
        var start = HttpBody.Json("""{"project": "workflows", "workflow": "ad_report", "sessionTime": "2026-11-20"}""");

        var started = await app.ApiAsync("POST", "/api/attempts", start);

        Assert.AreEqual(201, started.Status, started.ToString());
        var attemptId = started.Json().GetProperty("id").GetString()!;
        Assert.AreEqual("bo:workflows:ad_report:2026-11-19T15:00:00Z:0", attemptId, "the date in the workflow's time zone");
        Assert.AreEqual("running", started.Json().GetProperty("status").GetString());

        var outcome = await app.Runtime.Launcher.WaitAsync(attemptId, app.Cancellation);
        Assert.IsTrue(outcome.Succeeded, string.Join("; ", outcome.Errors.Select(e => $"{e.TaskName}: {e.Message}")));

        var attempt = await app.ApiAsync("GET", $"/api/attempts/{Uri.EscapeDataString(attemptId)}");
        Assert.AreEqual(200, attempt.Status, attempt.ToString());
        Assert.AreEqual("success", attempt.Json().GetProperty("status").GetString(), attempt.ToString());
        Assert.IsTrue(attempt.Json().TryGetProperty("finishedAt", out _), attempt.ToString());

        var tasks = await app.ApiAsync("GET", $"/api/attempts/{Uri.EscapeDataString(attemptId)}/tasks");
        Assert.AreEqual(200, tasks.Status, tasks.ToString());
        var states = tasks.Json().EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("state").GetString());
        CollectionAssert.AreEquivalent(
            new[] { "+ad_report", "+ad_report+collect", "+ad_report+collect+google_ads", "+ad_report+collect+meta_ads", "+ad_report+collect+tiktok_ads", "+ad_report+aggregate", "+ad_report+load", "+ad_report+report" },
            states.Keys.ToArray(),
            tasks.ToString());
        Assert.IsTrue(states.Values.All(s => s == "success"), tasks.ToString());

        // The same session again: 409 with the attempt it already has, and nothing new on the task hub.
        var again = await app.ApiAsync("POST", "/api/attempts", start);
        Assert.AreEqual(409, again.Status, again.ToString());
        Assert.AreEqual(attemptId, again.Json().GetProperty("attempt").GetProperty("id").GetString());
        CollectionAssert.AreEqual(new[] { attemptId }, (await app.WorkflowInstancesAsync()).ToArray());
    }

    [TestMethod]
    public async Task A_bad_api_request_is_a_4xx_with_a_problem_json_body_and_starts_nothing()
    {
        await using var app = await App.StartAsync();

        var malformed = await app.ApiAsync("POST", "/api/attempts", HttpBody.Json("""{"project": "workflows", "workflow": """));
        var missing = await app.ApiAsync("POST", "/api/attempts", HttpBody.Json("""{"project": "workflows"}"""));
        var unknownField = await app.ApiAsync("POST", "/api/attempts", HttpBody.Json("""{"project": "workflows", "workflow": "ad_report", "sesionTime": "2026-11-20"}"""));
        var unknownWorkflow = await app.ApiAsync("POST", "/api/attempts", HttpBody.Json("""{"project": "workflows", "workflow": "ad_reprot"}"""));
        var unknownAttempt = await app.ApiAsync("GET", "/api/attempts/nosuch");

        foreach (var (answer, status) in new[] { (malformed, 400), (missing, 400), (unknownField, 400), (unknownWorkflow, 404), (unknownAttempt, 404) })
        {
            Assert.AreEqual(status, answer.Status, answer.ToString());
            Assert.AreEqual("application/problem+json", answer.ContentType, answer.ToString());
            Assert.AreEqual(status, answer.Json().GetProperty("status").GetInt32(), answer.ToString());
            AssertNoStackTrace(answer);
        }

        StringAssert.Contains(unknownField.Body, "sesionTime", "the unknown field is named");
        StringAssert.Contains(unknownWorkflow.Body, "ad_report", "with a did-you-mean");
        Assert.IsEmpty(await app.WorkflowInstancesAsync());
    }

    [TestMethod]
    public async Task The_ui_function_serves_the_page_and_its_client_routes_but_never_an_api_route()
    {
        await using var app = await App.StartAsync();

        var page = await app.UiAsync("/");
        var clientRoute = await app.UiAsync("/attempts/bo:workflows:ad_report:2026-11-20T15:00:00Z:0");
        var api = await app.UiAsync("/api/projects");
        var openApi = await app.UiAsync("/openapi/v1.json");

        foreach (var html in new[] { page, clientRoute })
        {
            Assert.AreEqual(200, html.Status, html.ToString());
            StringAssert.StartsWith(html.ContentType, "text/html", html.ToString());
            StringAssert.Contains(html.Body, "<html", html.ToString());
        }

        Assert.AreEqual(page.Body, clientRoute.Body, "a client-side route gets the entry page");
        foreach (var notServed in new[] { api, openApi })
        {
            Assert.AreEqual(404, notServed.Status, notServed.ToString());
            Assert.AreEqual("application/problem+json", notServed.ContentType, notServed.ToString());
            Assert.DoesNotContain("<html", notServed.Body);
        }
    }

    [TestMethod]
    public async Task The_openapi_function_serves_the_document()
    {
        await using var app = await App.StartAsync();

        var answer = await app.HttpAsync<ApiFunction>("GET", "/openapi/v1.json", (f, request, client, _) => f.OpenApi(request, client));

        Assert.AreEqual(200, answer.Status, answer.ToString());
        StringAssert.StartsWith(answer.ContentType, "application/json", answer.ToString());
        var document = answer.Json();
        StringAssert.StartsWith(document.GetProperty("openapi").GetString(), "3.", answer.Body);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        CollectionAssert.IsSubsetOf(new[] { "/api/projects", "/api/attempts", "/api/attempts/{attemptId}", "/api/schedules" }, paths, string.Join(", ", paths));
        Assert.IsFalse(paths.Any(p => !p.StartsWith("/api/", StringComparison.Ordinal)), "the UI's routes are not API operations: " + string.Join(", ", paths));
    }

    private static void AssertNoStackTrace(HttpAnswer answer)
    {
        Assert.DoesNotMatchRegex(StackFrame(), answer.Body, "no stack trace");
        Assert.DoesNotContain("Exception", answer.Body, "no exception type");
    }

    /// <summary>A stack frame as .NET prints it: <c>at Namespace.Type.Method(</c>.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\bat [\w.`<>\[\]]+\(")]
    private static partial System.Text.RegularExpressions.Regex StackFrame();

    /// <summary>The shipped project on the Durable worker, with the app's HTTP functions to call.</summary>
    private sealed class App : IAsyncDisposable
    {
        private readonly string _root;
        private readonly CancellationTokenSource _guard = new(Guard);

        private App(string root, DurableTaskRuntime runtime)
        {
            _root = root;
            Runtime = runtime;
            Calls = new FunctionCalls(runtime.FirstInstance, runtime.SidecarPort);
        }

        public DurableTaskRuntime Runtime { get; }

        public FunctionCalls Calls { get; }

        public IRunStore Runs => Runtime.Launcher.Runs;

        public CancellationToken Cancellation => _guard.Token;

        public static async Task<App> StartAsync()
        {
            var root = Directory.CreateTempSubdirectory("bo-http-").FullName;
            return new App(root, await DurableTaskRuntime.StartAsync(root, new RuntimeSettings(), CancellationToken.None));
        }

        public Task<HttpAnswer> StartSessionAsync(string project, string workflow, HttpBody? body) =>
            HttpAsync<StartSessionFunction>("POST", $"/start/{project}/{workflow}", (f, request, client, context) => f.Run(request, client, context, project, workflow), body);

        public Task<HttpAnswer> ApiAsync(string method, string target, HttpBody? body = null) =>
            HttpAsync<ApiFunction>(method, target, (f, request, client, _) => f.Api(request, client), body);

        public Task<HttpAnswer> UiAsync(string target) =>
            HttpAsync<ApiFunction>("GET", target, (f, request, client, _) => f.Ui(request, client));

        public Task<HttpAnswer> HttpAsync<TFunction>(string method, string target, Func<TFunction, Microsoft.AspNetCore.Http.HttpRequest, Microsoft.DurableTask.Client.DurableTaskClient, Microsoft.Azure.Functions.Worker.FunctionContext, Task<Microsoft.AspNetCore.Mvc.IActionResult>> call, HttpBody? body = null)
            where TFunction : class =>
            Calls.HttpAsync(method, target, call, body, Cancellation);

        /// <summary>The ids of the attempts' orchestrations on the task hub.</summary>
        public async Task<List<string>> WorkflowInstancesAsync()
        {
            var ids = new List<string>();
            await foreach (var instance in Runtime.Launcher.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 100 }, Cancellation))
            {
                if (instance.Name == ActivityNames.WorkflowOrchestrator)
                {
                    ids.Add(instance.InstanceId);
                }
            }

            return ids;
        }

        public async ValueTask DisposeAsync()
        {
            await Runtime.DisposeAsync();
            _guard.Dispose();
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is not worth failing a test over.
            }
        }
    }
}
