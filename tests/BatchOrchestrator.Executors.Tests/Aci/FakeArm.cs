using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BatchOrchestrator.Executors.Tests.Aci;

/// <summary>
/// A fake of ARM for the container group calls, behind <c>ArmClientOptions.Transport</c>. It
/// answers with the shapes of the ACI REST API (2023-05-01): PUT → 201 with
/// <c>Azure-AsyncOperation</c> and the group in <c>Pending</c>; GET → the group with
/// <c>instanceView</c> and each container's <c>instanceView.currentState</c> and <c>events</c>,
/// never a <c>secureValue</c>; GET of an unknown group → 404 <c>ResourceNotFound</c>; logs →
/// <c>{"content": ...}</c> (the last 16 KB once stopped); DELETE → 200, or 204 when gone. It
/// insists on the pinned api-version and a bearer token, and records every call.
/// <para>A PUT is checked as ARM checks it (<see cref="FakeArmValidation"/>: 400 with ARM's error
/// JSON). A PUT of a group that exists redeploys it as ACI does — its container starts again from
/// the beginning, output and exit code gone — except that changing what ACI cannot update in
/// place (OS type, restart policy, resources) of a group still running is a 409. A test can
/// make any call answer a <see cref="FakeArmFault"/> instead: 429 with Retry-After, 5xx, a
/// refusal, or a dropped connection.</para>
/// </summary>
internal sealed partial class FakeArm : HttpMessageHandler
{
    public const string Subscription = "00000000-0000-0000-0000-000000000001";
    public const string ResourceGroup = "rg-batch";

    private readonly ConcurrentDictionary<string, FakeArmGroup> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeArmFault>> _faults = new(StringComparer.Ordinal);
    private int _redeploys;

    /// <summary>How often a PUT found its group there and ran it again.</summary>
    public int Redeploys => _redeploys;

    /// <summary>The next calls of a kind (<c>GET</c>, <c>PUT</c>, <c>DELETE</c>, or <c>LOGS</c> for log reads) answer these faults, one each, in order.</summary>
    public void FailNext(string call, params FakeArmFault[] faults)
    {
        var queue = _faults.GetOrAdd(call, _ => new ConcurrentQueue<FakeArmFault>());
        foreach (var fault in faults)
        {
            queue.Enqueue(fault);
        }
    }

    /// <summary>Every call as "METHOD path" (with <c>/logs</c> for log reads), in order.</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    public int Count(string method, string? suffix = null) =>
        Calls.Count(c => c.StartsWith(method + " ", StringComparison.Ordinal) && (suffix is null || c.EndsWith(suffix, StringComparison.Ordinal)));

    public FakeArmGroup Group(string name) => _groups[name];

    public FakeArmGroup? Find(string name) => _groups.GetValueOrDefault(name);

    public IReadOnlyCollection<string> GroupNames => [.. _groups.Keys];

    /// <summary>Moves a group along its life whenever it is read (GET), for tests that run whole workflows.</summary>
    public Action<FakeArmGroup>? OnGet { get; set; }

    /// <summary>Runs after a PUT stored its group and before the answer is sent (a test holds it to lose the answer with its host).</summary>
    public Func<CancellationToken, Task>? BeforePutAnswer { get; set; }

    /// <summary>Puts a group there that someone else made (to test adoption checks).</summary>
    public FakeArmGroup Seed(string name, JsonObject definition) => _groups[name] = new FakeArmGroup(name, definition);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        _calls.Enqueue($"{request.Method} {path}");
        if (request.Headers.Authorization is not { Scheme: "Bearer", Parameter.Length: > 0 })
        {
            return Error(HttpStatusCode.Unauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        }

        if (!(request.RequestUri.Query.Contains("api-version=2023-05-01", StringComparison.Ordinal)))
        {
            return Error(HttpStatusCode.BadRequest, "InvalidApiVersionParameter", $"The api-version in '{request.RequestUri.Query}' is not the pinned 2023-05-01.");
        }

        var match = GroupPath().Match(path);
        if (!match.Success || match.Groups["sub"].Value != Subscription || match.Groups["rg"].Value != ResourceGroup)
        {
            return Error(HttpStatusCode.NotFound, "InvalidResourceType", $"Unexpected call {request.Method} {path}");
        }

        var name = match.Groups["name"].Value;
        var id = path;
        if (_faults.TryGetValue(match.Groups["logs"].Success ? "LOGS" : request.Method.Method, out var faults) && faults.TryDequeue(out var fault))
        {
            return fault.Drops ? throw new HttpRequestException(fault.Message) : Fault(fault);
        }

        if (match.Groups["logs"].Success)
        {
            id = path[..path.IndexOf("/containers/", StringComparison.Ordinal)];
            if (!_groups.TryGetValue(name, out var logged))
            {
                return NotFound(name);
            }

            return logged.Logs() is { } content
                ? Json(HttpStatusCode.OK, new JsonObject { ["content"] = content })
                : Error(HttpStatusCode.BadRequest, "ContainerGroupDeploymentNotReady", $"The container group '{name}' is not ready: its container has not started.");
        }

        switch (request.Method.Method)
        {
            case "GET":
                if (_groups.TryGetValue(name, out var moving))
                {
                    OnGet?.Invoke(moving);
                }

                return _groups.TryGetValue(name, out var found) ? Json(HttpStatusCode.OK, found.ToResponse(id)) : NotFound(name);
            case "PUT":
                var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
                if (FakeArmValidation.Check(name, body) is { } invalid)
                {
                    return Error(HttpStatusCode.BadRequest, invalid.Code, invalid.Message);
                }

                var existing = _groups.GetValueOrDefault(name);
                if (existing is { IsTerminated: false } && !existing.CanUpdateTo(body))
                {
                    return Error(HttpStatusCode.Conflict, "ContainerGroupUpdateNotAllowed", $"The container group '{name}' cannot be updated: its OS type, restart policy and resources cannot change while it runs. Delete it and create it again.");
                }

                var created = existing is null;
                if (!created)
                {
                    Interlocked.Increment(ref _redeploys);
                }

                var group = _groups.AddOrUpdate(name, n => new FakeArmGroup(n, body), (n, _) => new FakeArmGroup(n, body));
                if (BeforePutAnswer is { } hold)
                {
                    await hold(cancellationToken);
                }

                var response = Json(created ? HttpStatusCode.Created : HttpStatusCode.OK, group.ToResponse(id));
                response.Headers.Add("Azure-AsyncOperation", $"https://management.azure.com/subscriptions/{Subscription}/providers/Microsoft.ContainerInstance/locations/japaneast/operations/{Guid.NewGuid()}?api-version=2023-05-01");
                return response;
            case "DELETE":
                return _groups.TryRemove(name, out var deleted)
                    ? Json(HttpStatusCode.OK, deleted.ToResponse(id))
                    : new HttpResponseMessage(HttpStatusCode.NoContent);
            default:
                return Error(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", request.Method.Method);
        }
    }

    private static HttpResponseMessage NotFound(string name) =>
        Error(HttpStatusCode.NotFound, "ResourceNotFound", $"The Resource 'Microsoft.ContainerInstance/containerGroups/{name}' under resource group '{ResourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");

    private static HttpResponseMessage Fault(FakeArmFault fault)
    {
        var response = Error(fault.Status, fault.Code, fault.Message);
        if (fault.RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        }

        if (fault.Header is { } header)
        {
            response.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        return response;
    }

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message) =>
        Json(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static HttpResponseMessage Json(HttpStatusCode status, JsonNode body)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        response.Headers.Add("x-ms-request-id", Guid.NewGuid().ToString());
        return response;
    }

    [GeneratedRegex(@"^/subscriptions/(?<sub>[^/]+)/resourceGroups/(?<rg>[^/]+)/providers/Microsoft\.ContainerInstance/containerGroups/(?<name>[^/]+)(?<logs>/containers/[^/]+/logs)?$", RegexOptions.IgnoreCase)]
    private static partial Regex GroupPath();
}
