using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchOrchestrator.Executors.Kubernetes.Auth;

namespace BatchOrchestrator.Executors.Kubernetes.Api;

/// <summary>
/// The small part of the Kubernetes REST API the Job executor uses (batch/v1 Jobs, core/v1 pods,
/// pod logs, events and Secrets), on <see cref="HttpClient"/>. Error answers become
/// <see cref="KubernetesApiException"/> with the server's Status reason and message. A 401 makes
/// the token source renew once and the request go again (rotated service-account tokens).
/// </summary>
public sealed class KubernetesApi : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private static readonly MediaTypeHeaderValue MergePatchType = new("application/merge-patch+json");

    private readonly HttpClient _http;
    private readonly IBearerTokenSource? _token;
    private readonly bool _ownsClient;

    public KubernetesApi(KubernetesConnection connection)
        : this(KubernetesHttp.CreateClient(connection), connection?.Token, ownsClient: true)
    {
    }

    public KubernetesApi(HttpClient http, IBearerTokenSource? token, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _token = token;
        _ownsClient = ownsClient;
    }

    /// <summary>POST a Job. 409 AlreadyExists comes back as <see cref="KubernetesApiException"/> with reason <c>AlreadyExists</c>.</summary>
    public Task<JsonElement> CreateJobAsync(string ns, JsonObject job, CancellationToken cancellationToken) =>
        CreateAsync(JobsPath(ns), job, cancellationToken);

    /// <summary>The Job, or null when there is none by that name.</summary>
    public Task<JsonElement?> GetJobAsync(string ns, string name, CancellationToken cancellationToken) =>
        GetAsync($"{JobsPath(ns)}/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>
    /// Deletes a Job and, in the background, its pods (<c>propagationPolicy=Background</c>; the
    /// default for batch/v1 through the API is to orphan them). A Job already gone is not an error.
    /// </summary>
    public Task<bool> DeleteJobAsync(string ns, string name, CancellationToken cancellationToken) =>
        DeleteAsync($"{JobsPath(ns)}/{Uri.EscapeDataString(name)}?propagationPolicy=Background", cancellationToken);

    /// <summary>POST a core/v1 Secret. 409 AlreadyExists comes back as <see cref="KubernetesApiException"/> with reason <c>AlreadyExists</c>.</summary>
    public Task<JsonElement> CreateSecretAsync(string ns, JsonObject secret, CancellationToken cancellationToken) =>
        CreateAsync(SecretsPath(ns), secret, cancellationToken);

    /// <summary>The Secret, or null when there is none by that name.</summary>
    public Task<JsonElement?> GetSecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        GetAsync($"{SecretsPath(ns)}/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>A JSON merge patch of a Secret (<c>null</c> removes a key); false when there is no such Secret.</summary>
    public async Task<bool> PatchSecretAsync(string ns, string name, JsonObject patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var body = Encoding.UTF8.GetBytes(patch.ToJsonString());
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Patch, $"{SecretsPath(ns)}/{Uri.EscapeDataString(name)}") { Content = new ByteArrayContent(body) { Headers = { ContentType = MergePatchType } } },
            cancellationToken,
            allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    /// <summary>Deletes a Secret; one already gone is not an error.</summary>
    public Task<bool> DeleteSecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        DeleteAsync($"{SecretsPath(ns)}/{Uri.EscapeDataString(name)}", cancellationToken);

    /// <summary>Jobs matching a label selector, with the list's resourceVersion (to watch from).</summary>
    public Task<ResourceList> ListJobsAsync(string ns, string? labelSelector, string? fieldSelector, CancellationToken cancellationToken) =>
        ListAsync($"{JobsPath(ns)}{Query(("labelSelector", labelSelector), ("fieldSelector", fieldSelector))}", cancellationToken);

    public Task<ResourceList> ListPodsAsync(string ns, string labelSelector, CancellationToken cancellationToken) =>
        ListAsync($"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods{Query(("labelSelector", labelSelector))}", cancellationToken);

    /// <summary>Events about one object (a pod): why it cannot be scheduled, why its image does not pull.</summary>
    public Task<ResourceList> ListEventsAsync(string ns, string involvedObjectName, CancellationToken cancellationToken) =>
        ListAsync($"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/events{Query(("fieldSelector", $"involvedObject.name={involvedObjectName}"))}", cancellationToken);

    /// <summary>
    /// A pod's log so far (not followed), each line prefixed with its RFC 3339 timestamp, from
    /// <paramref name="sinceTime"/> (whole seconds: the server truncates it). A container still
    /// waiting answers 400, which comes back as <see cref="KubernetesApiException"/> (BadRequest).
    /// </summary>
    public async Task<string> ReadLogAsync(string ns, string pod, string container, DateTimeOffset? sinceTime, int? tailLines, CancellationToken cancellationToken)
    {
        var since = sinceTime?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var path = $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(pod)}/log{Query(("container", container), ("timestamps", "true"), ("sinceTime", since), ("tailLines", tailLines?.ToString(CultureInfo.InvariantCulture)))}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Watches Jobs from <paramref name="resourceVersion"/> for at most <paramref name="timeout"/>.
    /// The stream ends when the server closes it (its timeout, a restart) or with an ERROR event
    /// (410 Expired: the version is too old); the caller lists afresh and watches again.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchJobsAsync(string ns, string? fieldSelector, string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var path = $"{JobsPath(ns)}{Query(("watch", "1"), ("allowWatchBookmarks", "true"), ("fieldSelector", fieldSelector), ("resourceVersion", resourceVersion), ("timeoutSeconds", seconds))}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken, streaming: true).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var watchEvent in WatchEvent.ReadAllAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                yield return watchEvent;
            }
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _http.Dispose();
        }
    }

    private static string JobsPath(string ns) => $"/apis/batch/v1/namespaces/{Uri.EscapeDataString(ns)}/jobs";

    private static string SecretsPath(string ns) => $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/secrets";

    private async Task<JsonElement> CreateAsync(string path, JsonObject item, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(item.ToJsonString());
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) { Headers = { ContentType = JsonType } } },
            cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonElement?> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken, allowNotFound: true).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var parts = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private async Task<ResourceList> ListAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        var list = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        var version = list.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var v) ? v.GetString() ?? "" : "";
        var items = list.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray()] : new List<JsonElement>();
        return new ResourceList(items, version);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken, bool allowNotFound = false, bool streaming = false)
    {
        var completion = streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead;
        var response = await SendOnceAsync(build, completion, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized && _token is not null)
        {
            response.Dispose();
            _token.Invalidate();
            response = await SendOnceAsync(build, completion, cancellationToken).ConfigureAwait(false);
        }

        if (response.IsSuccessStatusCode || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound))
        {
            return response;
        }

        using (response)
        {
            throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> build, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = build();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _token.GetTokenAsync(cancellationToken).ConfigureAwait(false));
        }

        return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return document.RootElement.Clone();
        }
    }

    /// <summary>Reads the Status body of an error answer (falling back to its text) into an exception.</summary>
    private static async Task<KubernetesApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var method = response.RequestMessage?.Method.Method ?? "";
        var uri = response.RequestMessage?.RequestUri?.AbsolutePath ?? "";
        try
        {
            using var document = JsonDocument.Parse(text);
            var status = document.RootElement;
            if (status.TryGetProperty("kind", out var kind) && kind.GetString() == "Status")
            {
                var reason = status.TryGetProperty("reason", out var r) ? r.GetString() : null;
                var message = status.TryGetProperty("message", out var m) ? m.GetString() : null;
                return new KubernetesApiException(response.StatusCode, reason, $"Kubernetes API {method} {uri} answered {(int)response.StatusCode} {reason}: {message}");
            }
        }
        catch (JsonException)
        {
            // Not a Status (a proxy's or load balancer's page): the text itself is the best message.
        }

        var snippet = text.Length > 300 ? text[..300] + "..." : text;
        return new KubernetesApiException(response.StatusCode, response.ReasonPhrase, $"Kubernetes API {method} {uri} answered {(int)response.StatusCode} {response.ReasonPhrase}: {snippet}");
    }
}
