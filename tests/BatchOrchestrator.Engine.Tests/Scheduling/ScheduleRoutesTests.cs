using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Server.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using static BatchOrchestrator.Engine.Tests.Scheduling.SchedulerHarness;

namespace BatchOrchestrator.Engine.Tests.Scheduling;

/// <summary>The /api/schedules routes over HTTP (Kestrel on 127.0.0.1), with the scheduler's services from <see cref="SchedulerServiceCollectionExtensions.AddScheduler"/>.</summary>
[TestClass]
public sealed class ScheduleRoutesTests
{
    [TestMethod]
    public async Task Schedules_are_listed_and_disabled_and_enabled_over_http()
    {
        await using var api = await ApiAsync();

        var list = await api.Client.GetFromJsonAsync<JsonElement>("api/schedules?project=project");
        var disabled = await api.Client.PostAsync("api/schedules/project/daily/disable", null);
        var one = await api.Client.GetFromJsonAsync<JsonElement>("api/schedules/project/daily");
        var enabled = await (await api.Client.PostAsync("api/schedules/project/daily/enable", null)).Content.ReadFromJsonAsync<JsonElement>();

        var row = list.EnumerateArray().Single();
        Assert.AreEqual(("daily", "UTC", true), (row.GetProperty("workflow").GetString(), row.GetProperty("timeZone").GetString(), row.GetProperty("enabled").GetBoolean()));
        Assert.AreEqual(Utc(22, 0), row.GetProperty("nextSessionTime").GetDateTimeOffset());
        Assert.AreEqual(Utc(22, 7), row.GetProperty("nextRunTime").GetDateTimeOffset());
        Assert.AreEqual(HttpStatusCode.OK, disabled.StatusCode);
        Assert.IsFalse(one.GetProperty("enabled").GetBoolean());
        Assert.IsTrue(enabled.GetProperty("enabled").GetBoolean());
    }

    [TestMethod]
    public async Task Mistakes_are_problem_details_and_a_backfill_asked_twice_is_a_conflict()
    {
        await using var api = await ApiAsync();

        var typo = await api.Client.GetAsync("api/schedules/project/dayly");
        var emptySkip = await api.Client.PostAsJsonAsync("api/schedules/project/daily/skip", new { });
        var dryRun = await api.Client.PostAsJsonAsync("api/schedules/project/daily/backfill", new { from = "2026-11-19", dryRun = true });
        var backfill = await api.Client.PostAsJsonAsync("api/schedules/project/daily/backfill", new { from = "2026-11-19", name = "redo" });
        var again = await api.Client.PostAsJsonAsync("api/schedules/project/daily/backfill", new { from = "2026-11-20", name = "redo" });

        Assert.AreEqual(HttpStatusCode.NotFound, typo.StatusCode);
        Assert.AreEqual("application/problem+json", typo.Content.Headers.ContentType?.MediaType);
        StringAssert.Contains((await typo.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), "did you mean 'daily'");
        Assert.AreEqual(HttpStatusCode.BadRequest, emptySkip.StatusCode);
        Assert.AreEqual(HttpStatusCode.OK, dryRun.StatusCode);
        Assert.AreEqual(3, (await dryRun.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionTimes").GetArrayLength());
        Assert.AreEqual(HttpStatusCode.Accepted, backfill.StatusCode);
        Assert.AreEqual(HttpStatusCode.Conflict, again.StatusCode);
        var existing = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("backfill");
        Assert.AreEqual(("redo", 3), (existing.GetProperty("name").GetString(), existing.GetProperty("sessionTimes").GetArrayLength()));
    }

    private static async Task<RunningApi> ApiAsync()
    {
        var harness = await StartAsync();
        harness.Project.Write("daily.dig", "schedule:\n  daily>: 07:00:00\n+t:\n  echo>: hi\n");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var engine = harness.Project.Engine!;
        var clock = new FakeClock(Utc(21, 12));

        // The server's own catalog: the API's project routes need its revision history too.
        var catalog = new BatchOrchestrator.Server.Projects.LocalProjectCatalog(harness.Project.Directory_, null, harness.Project.StateDirectory, engine.Revisions, clock);
        builder.Services.AddSingleton<IProjectCatalog>(catalog);
        builder.Services.AddSingleton<IProjectRepository>(catalog);
        builder.Services.AddSingleton(engine.Attempts);
        builder.Services.AddSingleton(engine.Runs);
        builder.Services.AddSingleton(engine.Logs);
        builder.Services.AddSingleton(engine.Secrets);
        builder.Services.AddSingleton(engine.Revisions);
        builder.Services.AddSingleton<BatchOrchestrator.Language.Operators.IOperatorCatalog>(engine.Operators);
        builder.Services.AddSingleton<IOrchestrationClient>(engine.Client);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddScheduler(harness.Project.StateDirectory, runLoop: false);
        builder.Services.AddBatchOrchestratorApi(new ApiOptions());
        var app = builder.Build();
        app.MapBatchOrchestratorApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RunningApi(harness, app, new HttpClient { BaseAddress = new Uri(address + "/") });
    }

    private sealed record RunningApi(SchedulerHarness Harness, WebApplication App, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
            await Harness.DisposeAsync();
        }
    }
}
