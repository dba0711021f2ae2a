using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

/// <summary>
/// An in-process Kubernetes API server (Kestrel on 127.0.0.1) for the surface the Job executor
/// uses, answering with the real shapes: Jobs (create, get, delete with propagationPolicy, list
/// with label/field selectors, chunked watch with ERROR 410 Expired and server-side close), pods
/// by label selector, pod logs (400 while the container waits; timestamps, sinceTime, sinceSeconds, tailLines,
/// follow), events, and Secrets (create, get, merge patch, delete; garbage-collected
/// with the Job that owns them). Jobs and Secrets are validated as the real server does
/// (<see cref="FakeValidation"/>); <see cref="Faults"/> make it refuse or fail on purpose.
/// Optional bearer-token and client-certificate auth over TLS.
/// </summary>
internal sealed class FakeKubernetesServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeKubernetesServer(WebApplication app, FakeCluster cluster, FakeServerOptions options)
    {
        _app = app;
        Cluster = cluster;
        Options = options;
    }

    public FakeCluster Cluster { get; }

    public FakeServerOptions Options { get; }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Runs after a Job is stored and before the 201 is sent (a test holds it to lose the answer).</summary>
    public Func<CancellationToken, Task>? BeforeCreateAnswer { get; set; }

    public int Requests { get; private set; }

    /// <summary>Answers to give instead of the real ones, consumed in order (see <see cref="FakeFault"/>).</summary>
    public List<FakeFault> Faults { get; } = [];

    /// <summary>The query strings of the pod log requests, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> LogQueries { get; } = new();

    public static async Task<FakeKubernetesServer> StartAsync(FakeServerOptions? options = null, FakeCluster? cluster = null)
    {
        options ??= new FakeServerOptions();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (options.ServerCertificate is { } certificate)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateMode = options.ClientCa is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.AllowCertificate,
                    // Checked per request against the test CA (a real API server's --client-ca-file).
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }
        }));
        var app = builder.Build();
        var server = new FakeKubernetesServer(app, cluster ?? new FakeCluster(), options);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUri = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(stopping.Token);
        }

        await _app.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Requests++;
        if (!Authorized(context))
        {
            await WriteAsync(context, 401, FakeStatus.Failure(401, "Unauthorized", "Unauthorized"));
            return;
        }

        if (TakeFault(context.Request.Method, context.Request.Path.Value ?? "") is { } fault)
        {
            if (fault.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await WriteAsync(context, fault.Code, fault.Status());
            return;
        }

        var request = context.Request;
        var parts = (request.Path.Value ?? "").Trim('/').Split('/');
        var query = request.Query;
        switch (parts)
        {
            case ["apis", "batch", "v1", "namespaces", var ns, "jobs"] when request.Method == "POST":
                await CreateAsync(context, ns);
                break;
            case ["apis", "batch", "v1", "namespaces", var ns, "jobs"] when query["watch"] is ["1"] or ["true"]:
                await WatchAsync(context, ns);
                break;
            case ["apis", "batch", "v1", "namespaces", var ns, "jobs"]:
                var (jobs, version) = Cluster.ListJobs(ns, j => Selected(j, query["labelSelector"], query["fieldSelector"]));
                await WriteAsync(context, 200, List("JobList", "batch/v1", jobs, version));
                break;
            case ["apis", "batch", "v1", "namespaces", var ns, "jobs", var name] when request.Method == "GET":
                await WriteAsync(context, Cluster.Get(ns, name) is { } job ? 200 : 404, Cluster.Get(ns, name) ?? FakeStatus.NotFound("jobs.batch", name));
                break;
            case ["apis", "batch", "v1", "namespaces", var ns, "jobs", var name] when request.Method == "DELETE":
                var deleted = Cluster.Delete(ns, name, query["propagationPolicy"].ToString() is { Length: > 0 } policy ? policy : null);
                await WriteAsync(context, deleted ? 200 : 404, deleted ? FakeStatus.Success() : FakeStatus.NotFound("jobs.batch", name));
                break;
            case ["api", "v1", "namespaces", var ns, "secrets"] when request.Method == "POST":
                await CreateSecretAsync(context, ns);
                break;
            case ["api", "v1", "namespaces", var ns, "secrets", var name] when request.Method == "GET":
                Cluster.SecretReads++;
                await WriteAsync(context, Cluster.GetSecret(ns, name) is { } ? 200 : 404, Cluster.GetSecret(ns, name) ?? FakeStatus.NotFound("secrets", name));
                break;
            case ["api", "v1", "namespaces", var ns, "secrets", var name] when request.Method == "PATCH":
                await PatchSecretAsync(context, ns, name);
                break;
            case ["api", "v1", "namespaces", var ns, "secrets", var name] when request.Method == "DELETE":
                var secretDeleted = Cluster.DeleteSecret(ns, name);
                await WriteAsync(context, secretDeleted ? 200 : 404, secretDeleted ? FakeStatus.Success() : FakeStatus.NotFound("secrets", name));
                break;
            case ["api", "v1", "namespaces", var ns, "pods"]:
                var (pods, podVersion) = Cluster.ListPods(ns, p => Selected(p, query["labelSelector"], null));
                await WriteAsync(context, 200, List("PodList", "v1", pods, podVersion));
                break;
            case ["api", "v1", "namespaces", var ns, "pods", var pod, "log"]:
                await LogAsync(context, ns, pod);
                break;
            case ["api", "v1", "namespaces", var ns, "events"]:
                var involved = query["fieldSelector"].ToString().Split('=') is ["involvedObject.name", var n] ? n : "";
                await WriteAsync(context, 200, List("EventList", "v1", Cluster.Events(ns, involved), Cluster.Version));
                break;
            default:
                await WriteAsync(context, 404, FakeStatus.Failure(404, "NotFound", "the server could not find the requested resource"));
                break;
        }
    }

    private FakeFault? TakeFault(string method, string path)
    {
        lock (Faults)
        {
            var index = Faults.FindIndex(f => f.Method == method && path.TrimEnd('/').EndsWith(f.PathEnd, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }

            var fault = Faults[index];
            if (fault.Times <= 1)
            {
                Faults.RemoveAt(index);
            }
            else
            {
                Faults[index] = fault with { Times = fault.Times - 1 };
            }

            return fault;
        }
    }

    private bool Authorized(HttpContext context)
    {
        if (Options.Token is null && Options.ClientCa is null)
        {
            return true;
        }

        if (Options.Token is { } token && context.Request.Headers.Authorization.ToString() == $"Bearer {token}")
        {
            return true;
        }

        if (Options.ClientCa is { } ca && context.Connection.ClientCertificate is { } client)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(client);
        }

        return false;
    }

    private async Task CreateAsync(HttpContext context, string ns)
    {
        var job = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!.AsObject();
        var name = job["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (!IsDnsLabel(name))
        {
            await WriteAsync(context, 422, FakeStatus.Failure(422, "Invalid", $"Job.batch \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'"));
            return;
        }

        if (FakeValidation.Job(job) is { Count: > 0 } causes)
        {
            await WriteAsync(context, 422, FakeStatus.Failure(422, "Invalid", $"Job.batch \"{name}\" is invalid: [{string.Join(", ", causes)}]"));
            return;
        }

        var created = Cluster.Create(ns, job, out var conflict);
        if (conflict)
        {
            await WriteAsync(context, 409, FakeStatus.AlreadyExists(name));
            return;
        }

        if (BeforeCreateAnswer is { } hold)
        {
            await hold(context.RequestAborted);
        }

        await WriteAsync(context, 201, created!);
    }

    private async Task CreateSecretAsync(HttpContext context, string ns)
    {
        var secret = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!.AsObject();
        var name = secret["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (!IsDnsLabel(name))
        {
            await WriteAsync(context, 422, FakeStatus.Failure(422, "Invalid", $"Secret \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'"));
            return;
        }

        if (FakeValidation.Secret(secret) is { Count: > 0 } causes)
        {
            await WriteAsync(context, 422, FakeStatus.Failure(422, "Invalid", $"Secret \"{name}\" is invalid: [{string.Join(", ", causes)}]"));
            return;
        }

        JsonObject? created;
        bool conflict;
        try
        {
            created = Cluster.CreateSecret(ns, secret, out conflict);
        }
        catch (FormatException)
        {
            await WriteAsync(context, 422, FakeStatus.Failure(422, "Invalid", $"Secret \"{name}\" is invalid: data: Invalid value: illegal base64 data"));
            return;
        }

        await WriteAsync(context, conflict ? 409 : 201, conflict ? FakeStatus.AlreadyExists(name, "secrets", "") : created!);
    }

    private async Task PatchSecretAsync(HttpContext context, string ns, string name)
    {
        // As the real server: the media type decides, parameters (charset=utf-8, which the client sends) do not.
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) || mediaType.MediaType != "application/merge-patch+json")
        {
            await WriteAsync(context, 415, FakeStatus.Failure(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"));
            return;
        }

        var patch = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!.AsObject();
        JsonObject? patched;
        try
        {
            patched = Cluster.PatchSecret(ns, name, patch);
        }
        catch (InvalidOperationException e)
        {
            await WriteAsync(context, 422, FakeStatus.Failure(422, "Invalid", e.Message));
            return;
        }

        await WriteAsync(context, patched is null ? 404 : 200, patched ?? FakeStatus.NotFound("secrets", name));
    }

    private static bool IsDnsLabel(string name) =>
        name.Length is > 0 and <= 63 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);

    private async Task WatchAsync(HttpContext context, string ns)
    {
        Cluster.WatchRequests++;
        var query = context.Request.Query;
        var from = long.TryParse(query["resourceVersion"], CultureInfo.InvariantCulture, out var v) ? v : Cluster.Version;
        var timeout = TimeSpan.FromSeconds(int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var s) ? s : 1800);
        var fieldSelector = query["fieldSelector"];
        var labelSelector = query["labelSelector"];
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        if (Cluster.ExpireNextWatches > 0)
        {
            Cluster.ExpireNextWatches--;
            await WriteLineAsync(context, new JsonObject { ["type"] = "ERROR", ["object"] = FakeStatus.Expired(from, Cluster.Version) });
            return;
        }

        if (Cluster.CloseNextWatches > 0)
        {
            Cluster.CloseNextWatches--;
            return;
        }

        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        end.CancelAfter(timeout);
        try
        {
            while (!end.IsCancellationRequested)
            {
                var changed = Cluster.Changed;
                if (Cluster.EventsAfter(ns, from) is not { } events)
                {
                    await WriteLineAsync(context, new JsonObject { ["type"] = "ERROR", ["object"] = FakeStatus.Expired(from, Cluster.OldestVersion) });
                    return;
                }

                foreach (var (version, type, job) in events)
                {
                    from = version;
                    if (Selected(job, labelSelector, fieldSelector))
                    {
                        await WriteLineAsync(context, new JsonObject { ["type"] = type, ["object"] = job });
                    }
                }

                await changed.WaitAsync(end.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds reached or the client went away: the server ends the stream.
        }
    }

    private async Task LogAsync(HttpContext context, string ns, string podName)
    {
        var query = context.Request.Query;
        var found = Cluster.WithPod(ns, podName, p => (p.Running || p.Terminated, p.WaitingReason));
        if (found == default)
        {
            await WriteAsync(context, 404, FakeStatus.NotFound("pods", podName));
            return;
        }

        if (!found.Item1)
        {
            var why = found.WaitingReason is "ImagePullBackOff" or "ErrImagePull" ? "trying and failing to pull image" : found.WaitingReason;
            await WriteAsync(context, 400, FakeStatus.Failure(400, "BadRequest", $"container \"main\" in pod \"{podName}\" is waiting to start: {why}"));
            return;
        }

        var timestamps = query["timestamps"] is ["true"] or ["1"];
        var follow = query["follow"] is ["true"] or ["1"];
        long since = 0;
        if (query["sinceTime"].ToString() is { Length: > 0 } sinceText)
        {
            since = (DateTimeOffset.Parse(sinceText, CultureInfo.InvariantCulture).ToUniversalTime() - DateTimeOffset.UnixEpoch).Ticks * 100;
        }

        if (int.TryParse(query["sinceSeconds"], CultureInfo.InvariantCulture, out var sinceSeconds))
        {
            // The server's clock decides, as on a real node; with sinceTime too the server refuses (not sent here).
            since = Math.Max(since, FakeTime.NowNanos() - (sinceSeconds * 1_000_000_000L));
        }

        LogQueries.Enqueue(context.Request.QueryString.Value ?? "");
        int? tail = int.TryParse(query["tailLines"], CultureInfo.InvariantCulture, out var t) ? t : null;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        var sent = 0;
        while (true)
        {
            var (lines, done) = Cluster.WithPod(ns, podName, p => (p.Log.Where(l => l.Nanos >= since).ToList(), p.Terminated));
            var fresh = lines is null ? [] : lines.Skip(sent).ToList();
            if (tail is { } n && sent == 0)
            {
                fresh = fresh.TakeLast(n).ToList();
                sent = (lines?.Count ?? 0) - fresh.Count;
            }

            var text = new StringBuilder();
            foreach (var (nanos, line) in fresh)
            {
                text.Append(timestamps ? $"{FakeTime.Nano(nanos)} {line}\n" : $"{line}\n");
            }

            sent += fresh.Count;
            await context.Response.WriteAsync(text.ToString(), context.RequestAborted);
            if (!follow || done || lines is null)
            {
                return;
            }

            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(10, context.RequestAborted);
        }
    }

    private static bool Selected(JsonObject item, string? labelSelector, string? fieldSelector)
    {
        var metadata = item["metadata"]!;
        foreach (var term in (labelSelector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = term.Split('=') is [var k, var val] ? (k, val) : (term, "");
            if (metadata["labels"]?[key]?.GetValue<string>() != value)
            {
                return false;
            }
        }

        foreach (var term in (fieldSelector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (term.Split('=') is ["metadata.name", var name] && metadata["name"]!.GetValue<string>() != name)
            {
                return false;
            }
        }

        return true;
    }

    private static JsonObject List(string kind, string apiVersion, IEnumerable<JsonObject> items, long version) => new()
    {
        ["kind"] = kind,
        ["apiVersion"] = apiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
        ["items"] = new JsonArray([.. items]),
    };

    private static async Task WriteAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static async Task WriteLineAsync(HttpContext context, JsonObject line)
    {
        await context.Response.WriteAsync(line.ToJsonString() + "\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}

/// <summary>How the fake server authenticates: nothing, a bearer token, and/or client certificates of a CA (TLS when a server certificate is given).</summary>
internal sealed record FakeServerOptions
{
    public string? Token { get; init; }

    public X509Certificate2? ClientCa { get; init; }

    public X509Certificate2? ServerCertificate { get; init; }
}
