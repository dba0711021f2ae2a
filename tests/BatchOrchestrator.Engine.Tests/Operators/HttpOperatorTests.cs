using System.Text;
using System.Text.Json;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin.Http;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace BatchOrchestrator.Engine.Tests.Operators;

/// <summary>
/// http> against a real local server: what arrives there, what the task stores, retries, timeouts,
/// and secrets never showing in the log or the error.
/// </summary>
[TestClass]
public sealed class HttpOperatorTests
{
    private static readonly TaskLogKey Log = new("p", "wf", "2026-11-21", "a1", "+wf+call", 0);

    /// <summary>No waiting between retries: tests count requests, not seconds.</summary>
    private static readonly HttpRetryPolicy NoWait = new(4, TimeSpan.Zero, TimeSpan.Zero);

    private readonly HttpClient _client = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly MemoryLogStore _logs = new();

    public TestContext TestContext { get; set; } = null!;

    [TestCleanup]
    public void Cleanup() => _client.Dispose();

    [TestMethod]
    public async Task Get_sends_headers_and_query()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));

        await RunAsync(server, "items?z=0", """
            {
              "headers": [{"Accept": "application/json"}, {"X-Foo": "bar"}, {"X-Count": 3}],
              "query": {"a": 1, "b": "x y&z", "tag": ["red", "blue"]}
            }
            """);

        var request = server.Requests.Single();
        Assert.AreEqual("GET", request.Method);
        Assert.AreEqual("/items", request.Path);
        Assert.AreEqual("?z=0&a=1&b=x%20y%26z&tag=red&tag=blue", request.Query);
        Assert.AreEqual("application/json", request.Header("Accept"));
        Assert.AreEqual("bar", request.Header("X-Foo"));
        Assert.AreEqual("3", request.Header("X-Count"));
        Assert.AreEqual(string.Empty, request.Body);
    }

    [TestMethod]
    public async Task Scalar_content_is_sent_as_plain_text()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));

        await RunAsync(server, "notify", """{"method": "post", "content": "hello world @ 2026-11-21"}""");

        var request = server.Requests.Single();
        Assert.AreEqual("POST", request.Method);
        Assert.AreEqual("text/plain; charset=utf-8", request.ContentType);
        Assert.AreEqual("hello world @ 2026-11-21", request.Body);
    }

    [TestMethod]
    public async Task Object_content_is_sent_as_json_by_default()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));

        await RunAsync(server, "sessions", """{"method": "PUT", "content": {"status": "RUNNING", "n": 3, "tags": ["a"]}}""");

        var request = server.Requests.Single();
        Assert.AreEqual("PUT", request.Method);
        Assert.AreEqual("application/json; charset=utf-8", request.ContentType);
        using var body = JsonDocument.Parse(request.Body);
        Assert.AreEqual("RUNNING", body.RootElement.GetProperty("status").GetString());
        Assert.AreEqual(3, body.RootElement.GetProperty("n").GetInt32());
        Assert.AreEqual("a", body.RootElement.GetProperty("tags")[0].GetString());
    }

    [TestMethod]
    public async Task Json_format_serializes_a_scalar()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));

        await RunAsync(server, "value", """{"method": "POST", "content": "say \"hi\"", "content_format": "json"}""");

        var request = server.Requests.Single();
        Assert.AreEqual("application/json; charset=utf-8", request.ContentType);
        Assert.AreEqual("say \"hi\"", JsonSerializer.Deserialize<string>(request.Body));
    }

    [TestMethod]
    public async Task Form_content_is_url_encoded()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));

        await RunAsync(server, "form", """{"method": "POST", "content": {"status": "RUNNING", "time": "2026-11-21 00:00", "tag": ["a", "b"]}, "content_format": "form"}""");

        var request = server.Requests.Single();
        Assert.AreEqual("application/x-www-form-urlencoded", request.ContentType);
        Assert.AreEqual("status=RUNNING&time=2026-11-21+00%3A00&tag=a&tag=b", request.Body);
    }

    [TestMethod]
    public async Task Content_type_overrides_the_inferred_type()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));

        await RunAsync(server, "xml", """{"method": "POST", "content": "<status>RUNNING</status>", "content_format": "text", "content_type": "application/xml"}""");

        var request = server.Requests.Single();
        Assert.AreEqual("application/xml", request.ContentType);
        Assert.AreEqual("<status>RUNNING</status>", request.Body);
    }

    [TestMethod]
    public async Task Options_default_from_the_http_param()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));

        await RunAsync(server, "defaults", "{}", parameters: """{"http": {"method": "DELETE", "headers": [{"X-Team": "ads"}]}}""");

        var request = server.Requests.Single();
        Assert.AreEqual("DELETE", request.Method);
        Assert.AreEqual("ads", request.Header("X-Team"));
    }

    [TestMethod]
    public async Task Text_format_with_object_content_fails_before_sending()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));

        var failure = await FailAsync(server, "x", """{"method": "POST", "content": {"a": 1}, "content_format": "text"}""");

        Assert.Contains("content_format: text", failure.Message);
        Assert.IsFalse(failure.Retryable);
        Assert.IsEmpty(server.Requests);
    }

    [TestMethod]
    public async Task Store_content_stores_the_body_as_http_last_content()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, """["a","b"]""", "application/json"));

        var result = await RunAsync(server, "list", """{"store_content": true}""");
        var plain = await RunAsync(server, "list", "{}");

        Assert.AreEqual("""["a","b"]""", result.StoreParams!.Value.GetProperty("http").GetProperty("last_content").GetString());
        Assert.IsNull(plain.StoreParams);
    }

    [TestMethod]
    public async Task Server_errors_are_retried_until_a_success()
    {
        await using var server = await TestHttpServer.StartAsync((context, number) =>
            number <= 2 ? TestHttpServer.RespondAsync(context, 503, "busy") : TestHttpServer.RespondAsync(context, 200, "done"));

        await RunAsync(server, "flaky", """{"store_content": true}""");

        Assert.HasCount(3, server.Requests);
        var log = _logs.Text(Log);
        Assert.AreEqual(3, Count(log, "> GET "), log);
        Assert.AreEqual(2, Count(log, "< 503 Service Unavailable"), log);
        Assert.AreEqual(2, Count(log, "retrying in 0s"), log);
        Assert.Contains("< 200 OK", log);
    }

    [TestMethod]
    public async Task Retries_are_bounded_and_the_last_status_is_the_error()
    {
        await using var server = await TestHttpServer.StartAsync((context, number) => TestHttpServer.RespondAsync(context, 500, $"broken #{number}"));

        var failure = await FailAsync(server, "down", "{}");

        Assert.HasCount(NoWait.MaxRequests, server.Requests);
        Assert.Contains("failed with status 500 Internal Server Error (after 4 requests): broken #4", failure.Message);
        Assert.IsTrue(failure.Retryable, "_retry may still run the task again");
    }

    [TestMethod]
    public async Task Post_is_not_retried_unless_asked()
    {
        await using var server = await TestHttpServer.StartAsync((context, number) =>
            number == 1 ? TestHttpServer.RespondAsync(context, 503, "busy") : TestHttpServer.RespondAsync(context, 200, "ok"));

        var failure = await FailAsync(server, "create", """{"method": "POST", "content": "x"}""");
        Assert.HasCount(1, server.Requests);
        Assert.Contains("503", failure.Message);

        await RunAsync(server, "create", """{"method": "POST", "content": "x", "retry": true}""");
        Assert.HasCount(2, server.Requests);
    }

    [TestMethod]
    public async Task Not_found_fails_at_once_with_the_status_and_body()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 404, "no such report: 2026-11-21"));

        var failure = await FailAsync(server, "reports/2026-11-21", "{}");

        Assert.HasCount(1, server.Requests);
        Assert.AreEqual($"http> GET {server.BaseUri}reports/2026-11-21 failed with status 404 Not Found: no such report: 2026-11-21", failure.Message);
    }

    [TestMethod]
    public async Task Only_the_start_of_a_long_error_body_is_shown()
    {
        var body = new string('x', 5000);
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 400, body));

        var failure = await FailAsync(server, "big", "{}");

        Assert.Contains(new string('x', HttpOperator.BodyExcerptLength) + "… (3976 more characters)", failure.Message);
        Assert.DoesNotContain(new string('x', HttpOperator.BodyExcerptLength + 1), failure.Message);
    }

    [TestMethod]
    public async Task A_timeout_is_retried()
    {
        TestHttpServer? self = null;
        await using var server = await TestHttpServer.StartAsync((context, number) =>
            number == 1 ? self!.HangAsync(context) : TestHttpServer.RespondAsync(context, 200, "late but fine"));
        self = server;

        // 1s, Digdag's integer form: long enough that the second (prompt) answer never times out on a busy machine.
        var result = await RunAsync(server, "slow", """{"timeout": 1, "store_content": true}""");

        Assert.AreEqual("late but fine", result.StoreParams!.Value.GetProperty("http").GetProperty("last_content").GetString());
        Assert.Contains("< no response within 1s (the timeout option)", _logs.Text(Log));
        Assert.HasCount(2, server.Requests);
    }

    [TestMethod]
    public async Task A_timeout_fails_the_task_when_retry_is_off()
    {
        TestHttpServer? self = null;
        await using var server = await TestHttpServer.StartAsync((context, _) => self!.HangAsync(context));
        self = server;

        // [ours] a fraction of a second, here as a string as a template would render it.
        var failure = await FailAsync(server, "slow", """{"timeout": "0.2", "retry": false}""");

        Assert.AreEqual($"http> GET {server.BaseUri}slow: no response within 0.2s (the timeout option)", failure.Message);
        Assert.HasCount(1, server.Requests);
    }

    [TestMethod]
    public async Task A_refused_connection_is_retried_then_reported()
    {
        Uri closed;
        await using (var gone = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok")))
        {
            closed = gone.BaseUri;
        }

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => Operator().RunAsync(Request(new Uri(closed, "x"), "{}", "{}"), TestContext.CancellationToken));

        Assert.Contains("request failed", failure.Message);
        Assert.Contains("(after 4 requests)", failure.Message);
        Assert.AreEqual(4, Count(_logs.Text(Log), "> GET "));
    }

    [TestMethod]
    public async Task The_authorization_secret_is_sent_and_masked_in_the_log_and_the_error()
    {
        const string Token = "Bearer tok-9f8e7d6c";
        await using var server = await TestHttpServer.StartAsync((context, _) =>
            TestHttpServer.RespondAsync(context, 401, $"bad credentials: {context.Request.Headers.Authorization}; as JSON: {JsonSerializer.Serialize(context.Request.Headers.Authorization.ToString())}"));

        var failure = await FailAsync(server, "private", "{}", parameters: $$$"""{"http": {"authorization": "{{{Token}}}"}}""");

        Assert.AreEqual(Token, server.Requests.Single().Header("Authorization"));
        Assert.DoesNotContain("tok-9f8e7d6c", failure.Message);
        Assert.Contains("bad credentials: ***", failure.Message);
        var log = _logs.Text(Log);
        Assert.DoesNotContain("tok-9f8e7d6c", log);
        Assert.Contains("bad credentials: ***", log);
    }

    [TestMethod]
    public async Task User_and_password_send_basic_authentication_and_are_masked()
    {
        const string Password = "pa:ss w0rd!";
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("report-bot:" + Password));
        await using var server = await TestHttpServer.StartAsync((context, _) =>
            TestHttpServer.RespondAsync(context, 500, $"echo {context.Request.Headers.Authorization} / password={Uri.EscapeDataString(Password)} / {Password}"));

        var failure = await FailAsync(server, "basic", """{"retry": false}""", parameters: $$"""{"http.user": "report-bot", "http.password": "{{Password}}"}""");

        Assert.AreEqual("Basic " + basic, server.Requests.Single().Header("Authorization"));
        foreach (var text in new[] { failure.Message, _logs.Text(Log) })
        {
            Assert.DoesNotContain(basic, text);
            Assert.DoesNotContain("w0rd", text);
            Assert.DoesNotContain("report-bot", text);
        }

        Assert.Contains("echo Basic *** / password=*** / ***", failure.Message);
    }

    [TestMethod]
    public async Task A_secret_straddling_the_excerpt_cut_is_masked_whole()
    {
        const string Secret = "s3cr3t-straddling-value";
        await using var server = await TestHttpServer.StartAsync((context, _) =>
            TestHttpServer.RespondAsync(context, 403, new string('.', HttpOperator.BodyExcerptLength - 5) + Secret + new string('.', 100)));

        var failure = await FailAsync(server, "cut", "{}", parameters: $$$"""{"http": {"authorization": "{{{Secret}}}"}}""");

        Assert.DoesNotContain("s3cr3", failure.Message);
        Assert.Contains(new string('.', HttpOperator.BodyExcerptLength - 5) + "***", failure.Message);
    }

    [TestMethod]
    public async Task The_uri_secret_replaces_the_command_and_is_never_shown()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 502, "upstream down"));
        var secretUri = new Uri(server.BaseUri, "hook?key=k-5544332211");

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() =>
            Operator().RunAsync(Request(command: null, """{"retry": false}""", $$$"""{"http": {"uri": "{{{secretUri}}}"}}"""), TestContext.CancellationToken));

        Assert.AreEqual("?key=k-5544332211", server.Requests.Single().Query);
        Assert.AreEqual("http> GET (the http.uri secret) failed with status 502 Bad Gateway: upstream down", failure.Message);
        Assert.DoesNotContain("k-5544332211", _logs.Text(Log));
    }

    [TestMethod]
    public async Task Stored_content_reaches_later_tasks_and_is_never_evaluated_as_a_template()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => context.Request.Path.Value switch
        {
            "/plain" => TestHttpServer.RespondAsync(context, 200, "hello-from-server"),
            _ => TestHttpServer.RespondAsync(context, 200, "literal ${session_date}"),
        });
        await using var project = await WorkflowProject.StartAsync();
        project.Write("fetch.dig", $"""
            +get:
              http>: {server.BaseUri}plain
              store_content: true
            +use:
              sh>: echo ${"{"}http.last_content{"}"} > out.txt
            +get_template:
              http>: {server.BaseUri}template
              store_content: true
            +show:
              echo>: got ${"{"}http.last_content{"}"}
            """);

        var run = await project.RunAsync("fetch");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual("hello-from-server\n", project.Read("out.txt"));
        Assert.AreEqual("got literal ${session_date}\n", await project.LogAsync(run, "+fetch+show"));
        Assert.Contains($"> GET {server.BaseUri}plain", await project.LogAsync(run, "+fetch+get"));
        Assert.Contains("< 200 OK", await project.LogAsync(run, "+fetch+get"));
    }

    [TestMethod]
    public async Task The_authorization_secret_comes_from_the_secret_store_and_never_reaches_logs_records_or_history()
    {
        const string token = "Bearer s3cr3t-store-token";
        string? received = null;
        await using var server = await TestHttpServer.StartAsync((context, _) =>
        {
            received = context.Request.Headers.Authorization.ToString();
            return TestHttpServer.RespondAsync(context, 200, "ok");
        });
        await using var project = await WorkflowProject.StartAsync();
        await project.Engine!.Secrets.SetAsync(new DirectoryInfo(project.Directory_).Name, "http.authorization", token, TestContext.CancellationToken);
        project.Write("auth.dig", $"+get:\n  http>: {server.BaseUri}private\n");

        var run = await project.RunAsync("auth");

        Assert.IsTrue(run.Succeeded, run.Describe());
        Assert.AreEqual(token, received);
        var log = await project.LogAsync(run, "+auth+get");
        Assert.DoesNotContain("s3cr3t-store-token", log);
        var page = await project.Engine.Client.QueryInstancesAsync(new Orchestration.OrchestrationQuery { FetchInputsAndOutputs = true }, TestContext.CancellationToken);
        foreach (var instance in page.Instances)
        {
            foreach (var historyEvent in await project.Engine.Client.GetHistoryAsync(instance.InstanceId, TestContext.CancellationToken))
            {
                Assert.DoesNotContain("s3cr3t-store-token", historyEvent.Payload ?? string.Empty);
            }
        }
    }

    private HttpOperator Operator() => new(_client, _logs, NoWait);

    private Task<TaskResult> RunAsync(TestHttpServer server, string path, string config, string parameters = "{}") =>
        Operator().RunAsync(Request(new Uri(server.BaseUri, path), config, parameters), TestContext.CancellationToken);

    private Task<TaskFailure> FailAsync(TestHttpServer server, string path, string config, string parameters = "{}") =>
        Assert.ThrowsExactlyAsync<TaskFailure>(() => RunAsync(server, path, config, parameters));

    private static TaskRequest Request(Uri? command, string config, string parameters) => new()
    {
        AttemptId = "a1",
        TaskName = "+wf+call",
        OperatorName = "http",
        Command = JsonSerializer.SerializeToElement(command?.ToString()),
        Config = JsonDocument.Parse(config).RootElement.Clone(),
        Params = JsonDocument.Parse(parameters).RootElement.Clone(),
        WorkingDirectory = Path.GetTempPath(),
        Log = Log,
    };

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
