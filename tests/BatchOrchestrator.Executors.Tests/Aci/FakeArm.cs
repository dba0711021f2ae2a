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
/// </summary>
internal sealed partial class FakeArm : HttpMessageHandler
{
    public const string Subscription = "00000000-0000-0000-0000-000000000001";
    public const string ResourceGroup = "rg-batch";

    private readonly ConcurrentDictionary<string, FakeArmGroup> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _calls = new();

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
                var created = !_groups.ContainsKey(name);
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
