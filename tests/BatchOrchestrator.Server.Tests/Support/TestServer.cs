using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Server;
using BatchOrchestrator.Storage.Blob.Projects;

namespace BatchOrchestrator.Server.Tests.Support;

/// <summary>
/// A real <see cref="ServerHost"/> on 127.0.0.1 (a free port) over a temp folder holding a
/// projects root, with an HttpClient pointed at it. Requests go over real HTTP.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    /// <summary>Generous: a guard against hanging, never a synchronisation.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(90);

    public static readonly JsonSerializerOptions Json = ApiServices.ClientJson();

    private TestServer(string root, ServerHost host, HttpClient client)
    {
        Root = root;
        Host = host;
        Client = client;
    }

    public string Root { get; }

    public string ProjectsRoot => Path.Combine(Root, "projects");

    public string StateFolder => Path.Combine(Root, "state");

    public ServerHost Host { get; }

    public HttpClient Client { get; }

    public IRunStore Runs => (IRunStore)Host.Services.GetService(typeof(IRunStore))!;

    /// <summary>Starts a server whose projects root holds <paramref name="projects"/> (name → file → text).</summary>
    /// <param name="pushedProjects">Blob-pushed projects for the server, made from its state folder; pushes go to the state folder when null.</param>
    /// <param name="clock">The server's clock (its scheduler and API); the real one when null.</param>
    public static async Task<TestServer> StartAsync(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> projects, string? token = null, IPAddress? bind = null, Func<string, BlobProjectStore>? pushedProjects = null, IReadOnlyList<string>? hostNames = null, TimeProvider? clock = null)
    {
        var root = Directory.CreateTempSubdirectory("bo-server-").FullName;
        foreach (var (project, files) in projects)
        {
            foreach (var (file, text) in files)
            {
                var path = Path.Combine(root, "projects", project, file);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, text);
            }
        }

        Directory.CreateDirectory(Path.Combine(root, "projects"));
        var host = await ServerHost.StartAsync(
            new ServerOptions(Path.Combine(root, "state"))
            {
                ProjectsRoot = Path.Combine(root, "projects"),
                Port = 0,
                Bind = bind ?? IPAddress.Loopback,
                Token = token,
                HostNames = hostNames ?? [],
                ActivityWorkers = 4,
                PushedProjects = pushedProjects?.Invoke(Path.Combine(root, "state")),
                Clock = clock ?? TimeProvider.System,
            },
            CancellationToken.None);
        var address = bind is null || IPAddress.IsLoopback(bind) ? host.Address : new UriBuilder(host.Address) { Host = "127.0.0.1" }.Uri;
        var client = new HttpClient { BaseAddress = address, Timeout = Guard };

        // As bo's own client does: bodiless changes (kill) need it (Api/CrossSiteTests).
        client.DefaultRequestHeaders.Add(BatchOrchestrator.Api.Guards.RequestGuard.RequestedByHeader, "bo-tests");
        return new TestServer(root, host, client);
    }

    public static Task<TestServer> StartAsync(string project, string file, string text, string? token = null, TimeProvider? clock = null) =>
        StartAsync(new Dictionary<string, IReadOnlyDictionary<string, string>> { [project] = new Dictionary<string, string> { [file] = text } }, token, clock: clock);

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json) => await Client.PostAsync(new Uri(path, UriKind.Relative), JsonBody(json));

    public async Task<T> GetAsync<T>(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    /// <summary>Starts an attempt and returns it (201 expected).</summary>
    public async Task<AttemptView> StartAttemptAsync(string project, string workflow, string? sessionTime = null, string? paramsJson = null)
    {
        var body = $$"""{"project":"{{project}}","workflow":"{{workflow}}"{{(sessionTime is null ? "" : $",\"sessionTime\":\"{sessionTime}\"")}}{{(paramsJson is null ? "" : ",\"params\":" + paramsJson)}}}""";
        using var response = await PostJsonAsync("/api/attempts", body);
        Assert.AreEqual(HttpStatusCode.Created, response.StatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AttemptView>(Json))!;
    }

    /// <summary>Runs sessions one after another (each started once the one before ended), as a history to list; returns their attempts in order.</summary>
    public async Task<List<AttemptView>> RunOneByOneAsync(string project, string workflow, IEnumerable<(string SessionTime, string? ParamsJson)> sessions)
    {
        var attempts = new List<AttemptView>();
        foreach (var (sessionTime, paramsJson) in sessions)
        {
            var attempt = await StartAttemptAsync(project, workflow, sessionTime, paramsJson);
            await WaitEndedAsync(attempt.Id);
            attempts.Add(attempt);
        }

        return attempts;
    }

    /// <summary>Polls the attempt over the API until it has ended (as a client would).</summary>
    public async Task<AttemptView> WaitEndedAsync(string attemptId)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (true)
        {
            var attempt = await GetAsync<AttemptView>("/api/attempts/" + Uri.EscapeDataString(attemptId));
            if (attempt.Status != AttemptStatus.Running)
            {
                return attempt;
            }

            await Task.Delay(50, guard.Token);
        }
    }

    /// <summary>Waits until a file appears (a task's marker), failing after the guard.</summary>
    public static async Task WaitForFileAsync(string path)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (!File.Exists(path))
        {
            await Task.Delay(50, guard.Token);
        }
    }

    /// <summary>Asserts a 4xx problem+json answer with a detail, and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(status, response.StatusCode, text);
        Assert.AreEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType, text);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.AreEqual((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A task process may still hold a file; the temp folder is cleaned later.
        }
    }
}
