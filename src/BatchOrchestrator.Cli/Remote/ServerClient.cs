using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BatchOrchestrator.Api;
using BatchOrchestrator.Engine.Json;
using BatchOrchestrator.Cli.Commands;

namespace BatchOrchestrator.Cli.Remote;

/// <summary>
/// The CLI's side of the HTTP API (<c>-e/--endpoint</c>): requests with the token, answers read
/// with the API's JSON, and a problem answer turned into a <see cref="UserError"/> carrying the
/// server's own message.
/// </summary>
public sealed class ServerClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = ApiServices.ClientJson();
    private readonly HttpClient _http;

    public ServerClient(string endpoint, string? token)
    {
        if (!Uri.TryCreate(endpoint.EndsWith('/') ? endpoint : endpoint + "/", UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            throw new UserError($"--endpoint '{endpoint}': expected a server address such as http://127.0.0.1:65432", 2);
        }

        // The Functions app's key may come in the address, as the portal gives it (?code=...): it is sent as its header.
        var functionKey = System.Web.HttpUtility.ParseQueryString(address.Query)["code"];
        address = new UriBuilder(address) { Query = string.Empty }.Uri;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        if (!string.IsNullOrEmpty(functionKey))
        {
            _http.DefaultRequestHeaders.Add(FunctionKeyHeader, functionKey);
        }

        // Bodiless requests (kill, enable) are refused without it: a web page on another site cannot send it.
        _http.DefaultRequestHeaders.Add(Api.Guards.RequestGuard.RequestedByHeader, "bo");
        token = ApiToken.Resolve(token);
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>The header the Functions app takes its function key in.</summary>
    public const string FunctionKeyHeader = "x-functions-key";

    public Uri Endpoint => _http.BaseAddress!;

    /// <summary>Puts a body (a project archive); the answer's JSON.</summary>
    public async Task<JsonElement> PutAsync(string path, HttpContent content, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, path, content, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A resource, or null when the server answers 404.</summary>
    public async Task<T?> GetAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(Json.TypeInfo<T>(), cancellationToken);
    }

    /// <summary>A task try's log text from a byte offset.</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>A resource's raw bytes (a project archive).</summary>
    public async Task<byte[]> GetBytesAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, path, null, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Posts JSON; the answer with its status, which the caller reads (a 409 carries the existing attempt).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body is null ? null : JsonContent.Create(body, Json.GetTypeInfo(body.GetType())), cancellationToken);
        if (response.StatusCode is not HttpStatusCode.Conflict)
        {
            await EnsureSuccessAsync(response, cancellationToken);
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static T Read<T>(JsonElement element) => element.Deserialize(Json.TypeInfo<T>()) ?? throw new UserError("the server sent an empty answer");

    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative)) { Content = content };
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new UserError($"cannot reach the server at {Endpoint}: {e.Message} (is `bo server` running there?)");
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var detail = text;
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.TryGetProperty("detail", out var d) && d.GetString() is { Length: > 0 } message)
            {
                detail = message;
            }
        }
        catch (JsonException)
        {
            // Not a problem body (a proxy's page): its text is the message.
        }

        throw new UserError($"the server answered {(int)response.StatusCode}: {detail}");
    }
}
