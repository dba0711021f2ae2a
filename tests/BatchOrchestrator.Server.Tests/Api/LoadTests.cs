using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Server.Tests.Api;

[TestClass]
public sealed class LoadTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_thousand_concurrent_starts_of_200_sessions_make_exactly_200_attempts()
    {
        await using var server = await TestServer.StartAsync("shop", "hourly.dig", "+a:\n  echo>: hi\n");
        const int sessions = 200;
        const int each = 5;
        var requests = Enumerable.Range(0, sessions * each)
            .Select(i => new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i % sessions))
            .ToList();

        var results = await Task.WhenAll(requests.Select(async time =>
        {
            var body = $$"""{"project":"shop","workflow":"hourly","sessionTime":"{{time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}"}""";
            var watch = Stopwatch.StartNew();
            using var response = await server.PostJsonAsync("/api/attempts", body);
            var text = await response.Content.ReadAsStringAsync();
            watch.Stop();
            return (Time: time, response.StatusCode, Text: text, Elapsed: watch.Elapsed);
        }));

        var latencies = results.Select(r => r.Elapsed.TotalMilliseconds).Order().ToList();
        TestContext.WriteLine($"1,000 concurrent starts of 200 sessions: p50 {Percentile(latencies, 0.50):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, max {latencies[^1]:F0} ms");

        foreach (var group in results.GroupBy(r => r.Time))
        {
            var answers = group.ToList();
            Assert.IsTrue(answers.All(a => a.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict), string.Join("\n", answers.Select(a => $"{a.StatusCode} {a.Text}")));
            Assert.AreEqual(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created), $"session {group.Key:O}: one new attempt");
            var ids = answers.Select(a => a.StatusCode == HttpStatusCode.Created
                ? JsonDocument.Parse(a.Text).RootElement.GetProperty("id").GetString()
                : JsonDocument.Parse(a.Text).RootElement.GetProperty("attempt").GetProperty("id").GetString()).Distinct().ToList();
            Assert.HasCount(1, ids, $"session {group.Key:O}: every answer names the same attempt");
        }

        var stored = 0;
        var query = new SessionQuery { PageSize = 1000 };
        var page = await server.Runs.ListSessionsAsync(query, CancellationToken.None);
        Assert.HasCount(sessions, page.Items);
        foreach (var session in page.Items)
        {
            stored += (await server.Runs.GetAttemptsAsync(session.SessionId, CancellationToken.None)).Count;
        }

        Assert.AreEqual(sessions, stored, "exactly one attempt per session");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
