using System.Text;
using System.Text.Json;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Engine.Operators.Builtin.Http;

/// <summary>
/// Builds the request message for each request of a try: a sent message cannot be sent again, so
/// a retry needs a fresh one with the same method, URL, headers and body.
/// </summary>
internal static class HttpMessageFactory
{
    /// <exception cref="TaskFailure">A header cannot be sent as given (not retryable).</exception>
    public static HttpRequestMessage Create(HttpRequestOptions options, string? authorization)
    {
        var message = new HttpRequestMessage(options.Method, options.Uri) { Content = Body(options) };
        try
        {
            foreach (var (name, value) in options.Headers)
            {
                AddHeader(message, name, value);
            }

            if (authorization is not null)
            {
                // The secret wins over a header of the same name written in the workflow.
                message.Headers.Remove("Authorization");
                message.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            return message;
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    /// <summary>The body, or null without <c>content</c>.</summary>
    public static HttpContent? Body(HttpRequestOptions options)
    {
        if (options.Content is not { } content)
        {
            return null;
        }

        HttpContent body = options.ContentFormat switch
        {
            // Only the escapes JSON needs: the params' own encoding escapes for HTML (+ as \u002B), which a
            // receiver that signs or compares bodies would see.
            HttpContentFormat.Json => new StringContent(JsonValues.CompactText(content), Encoding.UTF8, "application/json"),
            HttpContentFormat.Form => new FormUrlEncodedContent(FormFields(content)),
            _ => new StringContent(OptionReader.Scalar(content) ?? content.GetRawText(), Encoding.UTF8, "text/plain"),
        };
        if (options.ContentType is { } type)
        {
            body.Headers.ContentType = type;
        }

        return body;
    }

    /// <summary>A form's fields: scalars as text, a list repeats the field, an object is sent as its JSON.</summary>
    private static IEnumerable<KeyValuePair<string, string>> FormFields(JsonElement content)
    {
        foreach (var property in content.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    yield return KeyValuePair.Create(property.Name, OptionReader.Scalar(item) ?? item.GetRawText());
                }
            }
            else
            {
                yield return KeyValuePair.Create(property.Name, OptionReader.Scalar(property.Value) ?? property.Value.GetRawText());
            }
        }
    }

    private static void AddHeader(HttpRequestMessage message, string name, string value)
    {
        if (message.Headers.TryAddWithoutValidation(name, value))
        {
            return;
        }

        // Content-Type, Content-Language, ... belong to the body in .NET's model.
        if (message.Content is { } body && IsContentHeader(name))
        {
            body.Headers.Remove(name);
            if (body.Headers.TryAddWithoutValidation(name, value))
            {
                return;
            }
        }

        throw new TaskFailure(
            IsContentHeader(name)
                ? $"http>: header '{name}' describes a body, but the request has no content"
                : $"http>: header '{name}' cannot be sent (not a valid header name)",
            retryable: false);
    }

    private static bool IsContentHeader(string name) =>
        name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) || name.Equals("Expires", StringComparison.OrdinalIgnoreCase) || name.Equals("Last-Modified", StringComparison.OrdinalIgnoreCase) || name.Equals("Allow", StringComparison.OrdinalIgnoreCase);
}
