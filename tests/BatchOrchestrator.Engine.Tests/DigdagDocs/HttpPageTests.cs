using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.DigdagDocs;

/// <summary>
/// The examples of Digdag's <c>http&gt;</c> page (digdag-docs/src/operators/http.md), as workflows
/// of our own run against a real local HTTP server and checked against what the page says they
/// send and store. <c>api.example.com</c> is the test server here.
/// </summary>
[TestClass]
public sealed class HttpPageTests
{
    private const string SessionTime = "2026-11-21T00:00:00+00:00";

    /// <summary>
    /// http.md, first example: a GET whose response is stored (<c>store_content: true</c>) as
    /// <c>http.last_content</c>, which a later <c>for_each&gt;</c> iterates (the page's <c>bq&gt;</c>
    /// is an operator we don't provide: an <c>echo&gt;</c> stands in for it).
    /// </summary>
    [TestMethod]
    public async Task A_stored_response_feeds_a_later_for_each()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, """["apple", "banana"]""", "application/json"));
        await using var project = await WorkflowProject.StartAsync();
        project.Write("fetch.dig", $$"""
            +fetch:
              http>: {{server.BaseUri}}foobars
              store_content: true

            +process:
              for_each>:
                foobar: ${http.last_content}
              _do:
                echo>: loading ${foobar}
            """);

        var run = await project.RunAsync("fetch");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var request = server.Requests.Single();
        Assert.AreEqual("GET", request.Method, "GET is the default method");
        Assert.AreEqual("/foobars", request.Path);
        var echoes = run.Tasks.Where(t => t.TaskName.StartsWith("+fetch+process^sub+", StringComparison.Ordinal) && !t.TaskName.EndsWith("^sub", StringComparison.Ordinal)).ToList();
        var logs = await Task.WhenAll(echoes.Select(t => project.LogAsync(run, t.TaskName)));
        CollectionAssert.AreEquivalent(new[] { "loading apple\n", "loading banana\n" }, logs);
    }

    /// <summary>http.md, second example: a POST to a URI built from <c>session_uuid</c>, its object content sent as JSON.</summary>
    [TestMethod]
    public async Task A_post_sends_an_object_content_as_json_to_a_uri_with_the_session_uuid()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));
        await using var project = await WorkflowProject.StartAsync();
        project.Write("notify.dig", $$"""
            +notify:
              http>: {{server.BaseUri}}data/sessions/${session_uuid}
              method: POST
              content:
                status: RUNNING
                time: ${session_time}
            +uuid:
              echo>: ${session_uuid}
            """);

        var run = await project.RunAsync("notify");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var uuid = (await project.LogAsync(run, "+notify+uuid")).Trim();
        Assert.IsTrue(Guid.TryParse(uuid, out _), uuid);
        var request = server.Requests.Single();
        Assert.AreEqual("POST", request.Method);
        Assert.AreEqual($"/data/sessions/{uuid}", request.Path);
        StringAssert.StartsWith(request.ContentType, "application/json");
        Assert.AreEqual($$"""{"status":"RUNNING","time":"{{SessionTime}}"}""", request.Body);
    }

    /// <summary>
    /// The option examples of http.md's Parameters section: <c>method</c>, <c>content</c> (a
    /// scalar as text, an object as JSON), <c>content_format</c> (text, json, form) and
    /// <c>content_type</c>, each as the request the server gets.
    /// </summary>
    [TestMethod]
    [DataRow("method: POST", "POST", null, "")]
    [DataRow("method: DELETE", "DELETE", null, "")]
    [DataRow("method: POST\ncontent: 'hello world'", "POST", "text/plain", "hello world")]
    [DataRow("method: POST\ncontent: '${session_time}'", "POST", "text/plain", SessionTime)]
    [DataRow("method: POST\ncontent:\n  status: RUNNING\n  time: ${session_time}", "POST", "application/json", """{"status":"RUNNING","time":"2026-11-21T00:00:00+00:00"}""")]
    [DataRow("method: POST\ncontent: 'hello world @ ${session_time}'\ncontent_format: text", "POST", "text/plain", "hello world @ " + SessionTime)]
    [DataRow("method: POST\ncontent:\n  status: RUNNING\n  time: ${session_time}\ncontent_format: json", "POST", "application/json", """{"status":"RUNNING","time":"2026-11-21T00:00:00+00:00"}""")]
    [DataRow("method: POST\ncontent:\n  status: RUNNING\n  time: ${session_time}\ncontent_format: form", "POST", "application/x-www-form-urlencoded", "status=RUNNING&time=2026-11-21T00%3A00%3A00%2B00%3A00")]
    [DataRow("method: POST\ncontent: |\n  <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n  <notification>\n    <status>RUNNING</status>\n    <time>${session_time}</time>\n  </notification>\ncontent_format: text\ncontent_type: application/xml", "POST", "application/xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<notification>\n  <status>RUNNING</status>\n  <time>2026-11-21T00:00:00+00:00</time>\n</notification>\n")]
    public async Task Options_send_the_request_the_page_describes(string options, string method, string? contentType, string body)
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));
        await using var project = await WorkflowProject.StartAsync();
        var indented = string.Concat(options.Split('\n').Select(line => "  " + line + "\n"));
        project.Write("send.dig", $"+send:\n  http>: {server.BaseUri}foobar\n{indented}");

        var run = await project.RunAsync("send");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var request = server.Requests.Single();
        Assert.AreEqual(method, request.Method);
        if (contentType is null)
        {
            Assert.IsTrue(request.ContentType is null && request.Body.Length == 0, $"no content is the default; got {request.ContentType}: {request.Body}");
        }
        else
        {
            StringAssert.StartsWith(request.ContentType, contentType);
        }

        Assert.AreEqual(body, request.Body);
    }

    /// <summary>http.md's <c>headers</c> example: a list of one-pair maps, each sent as a header.</summary>
    [TestMethod]
    public async Task Headers_are_sent_as_listed()
    {
        await using var server = await TestHttpServer.StartAsync((context, _) => TestHttpServer.RespondAsync(context, 200, "ok"));
        await using var project = await WorkflowProject.StartAsync();
        project.Write("headers.dig", $"""
            +get:
              http>: {server.BaseUri}foobar
              headers:
                - Accept: application/json
                - X-Foo: bar
                - Baz: quux
            """);

        var run = await project.RunAsync("headers");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var request = server.Requests.Single();
        Assert.AreEqual("application/json", request.Header("Accept"));
        Assert.AreEqual("bar", request.Header("X-Foo"));
        Assert.AreEqual("quux", request.Header("Baz"));
    }
}
