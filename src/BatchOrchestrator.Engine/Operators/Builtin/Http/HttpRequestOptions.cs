using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace BatchOrchestrator.Engine.Operators.Builtin.Http;

/// <summary>
/// One <c>http&gt;</c> task's request, read and checked once before the first request: every
/// mistake in the workflow is reported before anything is sent.
/// </summary>
public sealed record HttpRequestOptions
{
    /// <summary>Digdag's default for <c>timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The URL, with <c>query</c> appended.</summary>
    public required Uri Uri { get; init; }

    /// <summary>True when the URL came from the <c>http.uri</c> secret: it is then never shown.</summary>
    public bool UriIsSecret { get; init; }

    public HttpMethod Method { get; init; } = HttpMethod.Get;

    /// <summary>The <c>content</c> option, or null for no body.</summary>
    public JsonElement? Content { get; init; }

    public HttpContentFormat ContentFormat { get; init; }

    /// <summary>The <c>content_type</c> override, or null for the format's own type.</summary>
    public MediaTypeHeaderValue? ContentType { get; init; }

    /// <summary>The <c>headers</c> option, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public bool StoreContent { get; init; }

    /// <summary>Whether ephemeral errors are retried (Digdag: on by default for GET, HEAD, OPTIONS, TRACE only).</summary>
    public bool Retry { get; init; }

    /// <summary>The limit on each request, from sending it to reading the whole response.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <exception cref="TaskFailure">An option is wrong (not retryable).</exception>
    public static HttpRequestOptions Parse(TaskRequest request, HttpSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secrets);
        var reader = new OptionReader(request, "http");
        var (uri, uriIsSecret) = ReadUri(request, secrets);
        var method = ReadMethod(reader);
        var content = reader.Find("content");
        var format = ReadFormat(reader, content);
        var contentType = reader.String("content_type") is { } type
            ? MediaTypeHeaderValue.TryParse(type, out var parsed) ? parsed : throw reader.Invalid("content_type", "a media type such as application/xml", type)
            : null;
        return new HttpRequestOptions
        {
            Uri = WithQuery(uri, reader.Pairs("query", allowLists: true)),
            UriIsSecret = uriIsSecret,
            Method = method,
            Content = content,
            ContentFormat = format,
            ContentType = contentType,
            Headers = reader.Pairs("headers", allowLists: false),
            StoreContent = reader.Boolean("store_content") ?? false,
            Retry = reader.Boolean("retry") ?? (method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Trace),
            Timeout = reader.Duration("timeout") ?? DefaultTimeout,
        };
    }

    private static (Uri Uri, bool IsSecret) ReadUri(TaskRequest request, HttpSecrets secrets)
    {
        var command = request.Command.ValueKind == JsonValueKind.String ? request.Command.GetString()!.Trim() : string.Empty;
        var fromSecret = command.Length == 0 && !string.IsNullOrWhiteSpace(secrets.Uri);
        var text = fromSecret ? secrets.Uri!.Trim() : command;
        if (text.Length == 0)
        {
            throw new TaskFailure("http>: expects a URL, e.g. 'http>: https://api.example.com/items' (or the http.uri secret)", retryable: false);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new TaskFailure($"http>: expects an absolute http:// or https:// URL, got '{(fromSecret ? "(the http.uri secret)" : text)}'", retryable: false);
        }

        return (uri, fromSecret);
    }

    private static HttpMethod ReadMethod(OptionReader reader)
    {
        var text = reader.String("method")?.Trim() ?? "GET";
        return text.Length > 0 && text.All(char.IsAsciiLetter)
            ? HttpMethod.Parse(text.ToUpperInvariant())
            : throw reader.Invalid("method", "an HTTP method such as GET, POST, PUT or DELETE", text);
    }

    private static HttpContentFormat ReadFormat(OptionReader reader, JsonElement? content)
    {
        var structured = content is { ValueKind: JsonValueKind.Object or JsonValueKind.Array };
        var format = reader.String("content_format") switch
        {
            null => structured ? HttpContentFormat.Json : HttpContentFormat.Text,
            "text" => HttpContentFormat.Text,
            "json" => HttpContentFormat.Json,
            "form" => HttpContentFormat.Form,
            var other => throw reader.Invalid("content_format", "text, json or form", other),
        };
        if (format == HttpContentFormat.Text && structured)
        {
            throw new TaskFailure("http>: content_format: text needs a scalar content (a string, number or boolean), but content is an object or a list; use content_format: json or form", retryable: false);
        }

        if (format == HttpContentFormat.Form && content is { ValueKind: not JsonValueKind.Object })
        {
            throw new TaskFailure("http>: content_format: form needs content to be an object (field: value)", retryable: false);
        }

        return format;
    }

    private static Uri WithQuery(Uri uri, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        if (query.Count == 0)
        {
            return uri;
        }

        var builder = new StringBuilder(uri.Query.TrimStart('?'));
        foreach (var (name, value) in query)
        {
            builder.Append(builder.Length == 0 ? string.Empty : "&").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return new UriBuilder(uri) { Query = builder.ToString() }.Uri;
    }
}
