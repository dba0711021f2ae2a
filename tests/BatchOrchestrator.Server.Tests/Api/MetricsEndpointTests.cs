using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Server.Tests.Api;

/// <summary><c>bo server</c>'s <c>/metrics</c>, scraped over real HTTP as Prometheus would, and parsed.</summary>
[TestClass]
public sealed partial class MetricsEndpointTests
{
    [TestMethod]
    public async Task After_a_run_the_scrape_has_the_attempt_its_tries_by_outcome_and_the_API_requests()
    {
        await using var server = await TestServer.StartAsync(
            "otel_scrape", "daily.dig", "+prepare:\n  echo>: ready\n+fetch:\n  _retry: 1\n  sh>: exit 4\n");
        var attempt = await server.StartAttemptAsync("otel_scrape", "daily", "2026-11-21T00:00:00Z");
        Assert.AreEqual(AttemptStatus.Error, (await server.WaitEndedAsync(attempt.Id)).Status);

        using var response = await server.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, text);
        StringAssert.StartsWith(response.Content.Headers.ContentType?.MediaType, "text/plain");
        var samples = Parse(text);
        double Value(string name, params (string Key, string Value)[] labels) =>
            samples.Where(s => s.Name == name && s.Labels.GetValueOrDefault("bo_project") == "otel_scrape" && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(s => s.Value);

        Assert.AreEqual(1, Value("bo_attempt_started_total"));
        Assert.AreEqual(1, Value("bo_attempt_finished_total", ("bo_outcome", "failure")), text);
        Assert.AreEqual(0, Value("bo_attempt_finished_total", ("bo_outcome", "success")));
        Assert.AreEqual(1, Value("bo_attempt_duration_seconds_count", ("bo_outcome", "failure")));
        Assert.AreEqual(2, Value("bo_task_tries_total", ("bo_operator", "sh"), ("bo_executor", "local"), ("bo_outcome", "failure")));
        Assert.AreEqual(1, Value("bo_task_tries_total", ("bo_operator", "echo"), ("bo_outcome", "success")));
        Assert.AreEqual(1, Value("bo_task_retries_total", ("bo_operator", "sh")));
        Assert.AreEqual(2, Value("bo_task_try_duration_seconds_count", ("bo_operator", "sh")));
        Assert.AreEqual(0, Value("bo_task_running"));
        Assert.AreEqual(2, Value("bo_executor_launch_duration_seconds_count", ("bo_executor", "local")));
        Assert.AreEqual(1, Value("bo_attempt_duration_seconds_bucket", ("bo_outcome", "failure"), ("le", "+Inf")));
        Assert.AreEqual(0, Value("bo_attempt_duration_seconds_bucket", ("bo_outcome", "failure"), ("le", "0.005")), "second-sized buckets, not OpenTelemetry's millisecond defaults");
        Assert.IsTrue(samples.Any(s => s.Name == "bo_runtime_work_items" && s.Labels.GetValueOrDefault("bo_work_item_kind") == "activity"), "the runtime's backlog is served");
        Assert.IsTrue(
            samples.Any(s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.GetValueOrDefault("http_route") == "/api/attempts/" && s.Labels.GetValueOrDefault("http_request_method") == "POST" && s.Value >= 1),
            "ASP.NET Core's own request metrics are served too:\n" + text);
    }

    [TestMethod]
    public async Task With_a_token_the_scrape_needs_it_like_the_API()
    {
        await using var server = await TestServer.StartAsync("otel_token", "daily.dig", "+a:\n  echo>: a\n", token: "scrape-token");

        using (var anonymous = await server.Client.GetAsync(new Uri("/metrics", UriKind.Relative)))
        {
            await TestServer.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        using (var wrong = await server.Client.SendAsync(request))
        {
            await TestServer.AssertProblemAsync(wrong, HttpStatusCode.Unauthorized);
        }

        using var authorized = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        authorized.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "scrape-token");
        using var response = await server.Client.SendAsync(authorized);
        var text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, text);
        Assert.IsNotEmpty(Parse(text), "the scrape has samples");
    }

    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>Prometheus' text format: <c>name{label="value",...} value [timestamp]</c>, comments skipped.</summary>
    private static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.IsTrue(match.Success, "not a Prometheus sample line: " + line);
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => Regex.Unescape(m.Groups[2].Value));
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var number => double.Parse(number, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(match.Groups["name"].Value, labels, value));
        }

        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"[,]?""")]
    private static partial Regex LabelPair();
}
