using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Core;

namespace BatchOrchestrator.Storage.Tests.KeyVault;

/// <summary>
/// A fake Azure Key Vault (secrets only) behind the SDK's transport, answering with the REST
/// shapes of the service:
/// <list type="bullet">
/// <item>the challenge flow the SDK expects: a request without a bearer token gets 401 with
/// <c>WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/{tenant}",
/// resource="https://vault.azure.net"</c>; a token the fake did not issue gets 401 too;</item>
/// <item><c>GET /secrets/{name}</c> → the secret bundle (<c>value</c>, <c>id</c> with its version,
/// <c>attributes</c>, <c>tags</c>, <c>contentType</c>); 404 <c>SecretNotFound</c>; 403
/// <c>SecretDisabled</c> for a disabled secret; 403 <c>ForbiddenByRbac</c> when the identity lacks the role;</item>
/// <item><c>PUT /secrets/{name}</c> → a new version; 409 <c>ObjectIsDeletedButRecoverable</c>
/// while a deleted secret of that name is kept (soft delete);</item>
/// <item><c>DELETE /secrets/{name}</c> → the deleted-secret bundle (no value); 404 when there is none;</item>
/// <item><c>GET /secrets</c> → pages of secret items (no values) linked by <c>nextLink</c>.</item>
/// </list>
/// Names are checked against <c>^[0-9a-zA-Z-]{1,127}$</c> and compared without case, as Key
/// Vault does. Every call must carry an <c>api-version</c>.
/// </summary>
internal sealed partial class FakeKeyVault : HttpMessageHandler
{
    public const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private const int PageSize = 2;

    private readonly ConcurrentDictionary<string, Secret> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Secret> _deleted = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string> _calls = new();

    public FakeKeyVault() => VaultUri = new Uri($"https://v{Guid.NewGuid():N}"[..20] + ".vault.azure.net/");

    /// <summary>
    /// A vault host of this fake's own: the SDK caches a vault's challenge per host for the
    /// process, so each fake gets a fresh one and sees the whole challenge flow.
    /// </summary>
    public Uri VaultUri { get; }

    public KeyVaultCredential Credential { get; } = new();

    /// <summary>Whether the identity has a role that reads secrets (Key Vault Secrets User).</summary>
    public bool CanRead { get; set; } = true;

    /// <summary>Whether the identity has a role that writes and lists secrets (Key Vault Secrets Officer).</summary>
    public bool CanWrite { get; set; } = true;

    /// <summary>Every call as "METHOD path status", in order.</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    public int Count(string method) => Calls.Count(c => c.StartsWith(method + " ", StringComparison.Ordinal));

    public void Put(string name, string value, bool enabled = true) => _secrets[name] = new Secret(name, value, Version(), enabled, null, new Dictionary<string, string>());

    public string? ValueOf(string name) => _secrets.TryGetValue(name, out var secret) ? secret.Value : null;

    public IReadOnlyDictionary<string, string> TagsOf(string name) => _secrets[name].Tags;

    public bool IsDeleted(string name) => _deleted.ContainsKey(name);

    public IReadOnlyCollection<string> Names => [.. _secrets.Keys];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await AnswerAsync(request, cancellationToken);
        _calls.Enqueue($"{request.Method} {request.RequestUri!.AbsolutePath} {(int)response.StatusCode}");
        return response;
    }

    private async Task<HttpResponseMessage> AnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        if (!string.Equals(uri.Host, VaultUri.Host, StringComparison.OrdinalIgnoreCase))
        {
            return Error(HttpStatusCode.NotFound, "NotFound", $"No such host {uri.Host}");
        }

        if (!uri.Query.Contains("api-version=", StringComparison.Ordinal))
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", "The api-version query parameter is missing.");
        }

        if (request.Headers.Authorization is not { Scheme: "Bearer" } authorization)
        {
            var challenge = Error(HttpStatusCode.Unauthorized, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
            challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", $"Bearer authorization=\"https://login.microsoftonline.com/{Tenant}\", resource=\"https://vault.azure.net\"");
            return challenge;
        }

        if (!Credential.Issued(authorization.Parameter))
        {
            return Error(HttpStatusCode.Unauthorized, "Unauthorized", "AKV10032: Invalid issuer or token.");
        }

        var match = SecretPath().Match(uri.AbsolutePath);
        if (!match.Success)
        {
            return Error(HttpStatusCode.NotFound, "NotFound", $"Unexpected call {request.Method} {uri.AbsolutePath}");
        }

        var name = match.Groups["name"].Success ? match.Groups["name"].Value : null;
        if (name is not null && !ValidName().IsMatch(name))
        {
            return Error(HttpStatusCode.BadRequest, "BadParameter", "The request URI contains an invalid name: " + name);
        }

        switch (request.Method.Method, name)
        {
            case ("GET", null):
                return CanWrite ? List(uri) : Forbidden("list");
            case ("GET", not null):
                if (!CanRead)
                {
                    return Forbidden("get");
                }

                if (!_secrets.TryGetValue(name, out var found))
                {
                    return Error(HttpStatusCode.NotFound, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");
                }

                return found.Enabled
                    ? Json(HttpStatusCode.OK, Bundle(found, withValue: true))
                    : Error(HttpStatusCode.Forbidden, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled");
            case ("PUT", not null):
                if (!CanWrite)
                {
                    return Forbidden("set");
                }

                if (_deleted.ContainsKey(name))
                {
                    return Error(HttpStatusCode.Conflict, "Conflict", $"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.", "ObjectIsDeletedButRecoverable");
                }

                var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
                var tags = body["tags"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal) ?? [];
                var secret = new Secret(name, (string)body["value"]!, Version(), true, (string?)body["contentType"], tags);
                _secrets[name] = secret;
                return Json(HttpStatusCode.OK, Bundle(secret, withValue: true));
            case ("DELETE", not null):
                if (!CanWrite)
                {
                    return Forbidden("delete");
                }

                if (!_secrets.TryRemove(name, out var deleted))
                {
                    return Error(HttpStatusCode.NotFound, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.");
                }

                _deleted[name] = deleted;
                var answer = Bundle(deleted, withValue: false);
                answer["recoveryId"] = $"{VaultUri}deletedsecrets/{name}";
                answer["deletedDate"] = 1763683200;
                answer["scheduledPurgeDate"] = 1771459200;
                return Json(HttpStatusCode.OK, answer);
            default:
                return Error(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", request.Method.Method);
        }
    }

    private HttpResponseMessage List(Uri uri)
    {
        var skip = Regex.Match(uri.Query, @"\$skiptoken=(\d+)") is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var all = _secrets.Values.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var page = new JsonArray([.. all.Skip(skip).Take(PageSize).Select(s =>
        {
            var item = Bundle(s, withValue: false);
            item["id"] = $"{VaultUri}secrets/{s.Name}";
            return (JsonNode)item;
        })]);
        var body = new JsonObject { ["value"] = page };
        body["nextLink"] = skip + PageSize < all.Count ? $"{VaultUri}secrets?api-version=7.6&$skiptoken={skip + PageSize}&maxresults={PageSize}" : null;
        return Json(HttpStatusCode.OK, body);
    }

    private JsonObject Bundle(Secret secret, bool withValue)
    {
        var bundle = new JsonObject();
        if (withValue)
        {
            bundle["value"] = secret.Value;
        }

        if (secret.ContentType is { } contentType)
        {
            bundle["contentType"] = contentType;
        }

        bundle["id"] = $"{VaultUri}secrets/{secret.Name}/{secret.Version}";
        bundle["attributes"] = new JsonObject
        {
            ["enabled"] = secret.Enabled,
            ["created"] = 1763683200,
            ["updated"] = 1763683200,
            ["recoveryLevel"] = "Recoverable+Purgeable",
            ["recoverableDays"] = 90,
        };
        bundle["tags"] = new JsonObject(secret.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value)));
        return bundle;
    }

    private static HttpResponseMessage Forbidden(string operation) =>
        Error(HttpStatusCode.Forbidden, "Forbidden", $"Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nAction: 'Microsoft.KeyVault/vaults/secrets/{operation}'", "ForbiddenByRbac");

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message, string? inner = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (inner is not null)
        {
            error["innererror"] = new JsonObject { ["code"] = inner };
        }

        return Json(status, new JsonObject { ["error"] = error });
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonNode body)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        response.Headers.Add("x-ms-request-id", Guid.NewGuid().ToString());
        response.Headers.Add("x-ms-keyvault-service-version", "1.9.2595.1");
        return response;
    }

    private static string Version() => Guid.NewGuid().ToString("N");

    [GeneratedRegex(@"^/secrets(/(?<name>[^/]+)(/(?<version>[^/]*))?)?/?$")]
    private static partial Regex SecretPath();

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex ValidName();

    private sealed record Secret(string Name, string Value, string Version, bool Enabled, string? ContentType, IReadOnlyDictionary<string, string> Tags);
}

/// <summary>A credential that issues a token per request and remembers the scope and tenant each request named (the challenge's).</summary>
internal sealed class KeyVaultCredential : TokenCredential
{
    private readonly ConcurrentDictionary<string, byte> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TokenRequestContext> _requests = new();

    public IReadOnlyList<TokenRequestContext> Requests => [.. _requests];

    public bool Issued(string? token) => token is not null && _tokens.ContainsKey(token);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        _requests.Enqueue(requestContext);
        var token = $"kv-token-{Guid.NewGuid():N}";
        _tokens[token] = 0;
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
