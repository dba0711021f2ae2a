using System.Net;
using BatchOrchestrator.Api;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Server.Tests.Api;

/// <summary>The session and attempt lists filtered by the server: session dates, text, status, page by page.</summary>
[TestClass]
public sealed class ListFilterRoutesTests
{
    private const string Workflow = """
        +step:
          sh>: test "${outcome}" = ok
        """;

    [TestMethod]
    public async Task Lists_filter_by_session_dates_text_and_status_and_page_through_the_matches()
    {
        await using var server = await TestServer.StartAsync("demo", "daily.dig", Workflow);
        var runs = new[] { ("2026-11-01", "ok"), ("2026-11-02", "bad"), ("2026-11-03", "ok"), ("2026-11-04", "okay-ish") };
        var attempts = await server.RunOneByOneAsync("demo", "daily", runs.Select(r => (r.Item1, (string?)$$"""{"outcome":"{{r.Item2}}"}""")));
        var ids = runs.Select(r => r.Item1).Zip(attempts).ToDictionary(p => p.First, p => p.Second);

        var range = await server.GetAsync<PageView<AttemptView>>("/api/attempts?from=2026-11-02&to=2026-11-03");
        CollectionAssert.AreEqual(new[] { ids["2026-11-03"].Id, ids["2026-11-02"].Id }, range.Items.Select(a => a.Id).ToArray(), "'to' as a date includes that day");

        var text = await server.GetAsync<PageView<SessionView>>("/api/sessions?q=OKAY");
        CollectionAssert.AreEqual(new[] { ids["2026-11-04"].SessionId }, text.Items.Select(s => s.Id).ToArray(), "found in the params, ignoring case");

        var failed = await server.GetAsync<PageView<SessionView>>("/api/sessions?status=error");
        CollectionAssert.AreEquivalent(new[] { ids["2026-11-02"].SessionId, ids["2026-11-04"].SessionId }, failed.Items.Select(s => s.Id).ToArray(), "by their latest attempt's status");

        // Page by page through the matches: each page holds at most its size, and the token goes on from the last match.
        var first = await server.GetAsync<PageView<AttemptView>>("/api/attempts?q=ok&pageSize=2");
        CollectionAssert.AreEqual(new[] { ids["2026-11-04"].Id, ids["2026-11-03"].Id }, first.Items.Select(a => a.Id).ToArray());
        Assert.IsNotNull(first.Continuation);
        var second = await server.GetAsync<PageView<AttemptView>>($"/api/attempts?q=ok&pageSize=2&continuation={Uri.EscapeDataString(first.Continuation)}");
        CollectionAssert.AreEqual(new[] { ids["2026-11-01"].Id }, second.Items.Select(a => a.Id).ToArray(), "2026-11-02's params say bad");

        var badDate = await TestServer.AssertProblemAsync(await server.Client.GetAsync(new Uri("/api/sessions?from=yesterday", UriKind.Relative)), HttpStatusCode.BadRequest);
        StringAssert.Contains(badDate.GetProperty("detail").GetString(), "'yesterday' is not a date (2026-11-01)");
        await TestServer.AssertProblemAsync(await server.Client.GetAsync(new Uri("/api/sessions?status=finished", UriKind.Relative)), HttpStatusCode.BadRequest);
    }

    [TestMethod]
    public async Task A_date_bound_is_the_sessions_date_in_its_workflows_zone()
    {
        await using var server = await TestServer.StartAsync("demo", "tokyo.dig", """
            timezone: Asia/Tokyo
            +step:
              echo>: hi
            """);
        var attempts = await server.RunOneByOneAsync("demo", "tokyo", [("2026-11-02", null)]);

        // 2026-11-02 00:00+09:00 is 2026-11-01 15:00 in UTC: by date it is the 2nd, by instant before the 2nd's UTC midnight.
        Assert.AreEqual(attempts[0].Id, (await server.GetAsync<PageView<AttemptView>>("/api/attempts?from=2026-11-02&to=2026-11-02")).Items.Single().Id);
        Assert.IsEmpty((await server.GetAsync<PageView<AttemptView>>("/api/attempts?to=2026-11-01")).Items);
        Assert.IsEmpty((await server.GetAsync<PageView<SessionView>>("/api/sessions?from=2026-11-02T00:00:00Z")).Items);
        Assert.HasCount(1, (await server.GetAsync<PageView<SessionView>>("/api/sessions?from=2026-11-01T15:00:00Z&to=2026-11-01T15:00:01Z")).Items);
    }

    [TestMethod]
    public async Task A_projects_files_are_listed_and_read_and_an_unknown_one_is_a_404_with_a_suggestion()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["demo"] = new Dictionary<string, string> { ["daily.dig"] = Workflow, ["lib/common.dig"] = "+shared:\n  echo>: hi\n" },
        });

        var files = await server.GetAsync<List<ProjectFileView>>("/api/projects/demo/files");
        CollectionAssert.AreEqual(new[] { "daily.dig", "lib/common.dig" }, files.Select(f => f.Path).ToArray());
        using var part = await server.Client.GetAsync(new Uri("/api/projects/demo/files/lib/common.dig", UriKind.Relative));
        Assert.AreEqual("+shared:\n  echo>: hi\n", await part.Content.ReadAsStringAsync());

        var missing = await TestServer.AssertProblemAsync(await server.Client.GetAsync(new Uri("/api/projects/demo/files/lib/comon.dig", UriKind.Relative)), HttpStatusCode.NotFound);
        StringAssert.Contains(missing.GetProperty("detail").GetString(), "did you mean 'lib/common.dig'");
        await TestServer.AssertProblemAsync(await server.Client.GetAsync(new Uri("/api/projects/demo/files/..%2F..%2Fetc%2Fpasswd", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    [TestMethod]
    public async Task Log_tries_count_from_one()
    {
        await using var server = await TestServer.StartAsync("demo", "twice.dig", """
            +flaky:
              _retry: 1
              sh>: n=$(cat ../n 2>/dev/null || echo 0); n=$((n+1)); echo $n > ../n; echo "try number $n"; test $n -ge 2
            """);
        var attempt = await server.StartAttemptAsync("demo", "twice", "2026-11-01");
        await server.WaitEndedAsync(attempt.Id);
        var path = $"/api/attempts/{Uri.EscapeDataString(attempt.Id)}/logs";

        var logs = await server.GetAsync<List<LogFileView>>(path);
        CollectionAssert.AreEqual(new[] { 1, 2 }, logs.Select(l => l.Try).ToArray());
        using var first = await server.Client.GetAsync(new Uri(path + "/+twice+flaky?try=1", UriKind.Relative));
        StringAssert.Contains(await first.Content.ReadAsStringAsync(), "try number 1");
        using var second = await server.Client.GetAsync(new Uri(path + "/+twice+flaky?try=2", UriKind.Relative));
        StringAssert.Contains(await second.Content.ReadAsStringAsync(), "try number 2");
        await TestServer.AssertProblemAsync(await server.Client.GetAsync(new Uri(path + "/+twice+flaky?try=0", UriKind.Relative)), HttpStatusCode.BadRequest);
        var none = await TestServer.AssertProblemAsync(await server.Client.GetAsync(new Uri(path + "/+twice+flaky?try=3", UriKind.Relative)), HttpStatusCode.NotFound);
        StringAssert.Contains(none.GetProperty("detail").GetString(), "its tries: 1, 2");
    }
}
