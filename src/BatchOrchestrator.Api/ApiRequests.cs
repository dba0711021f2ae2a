using System.Text.Json;
using BatchOrchestrator.Engine.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BatchOrchestrator.Api;

/// <summary>A request body read whole, or the problem answer that says why it could not be.</summary>
internal readonly record struct BodyRead<T>(T? Value, IResult? Problem);

/// <summary>
/// Reads request bodies with the API's limits and messages: 413 past the limit (before anything
/// is done), 400 for malformed JSON, unknown fields, missing fields or wrong value types, naming
/// where in the body the mistake is.
/// </summary>
internal static class ApiRequests
{
    public static async Task<BodyRead<byte[]>> ReadBytesAsync(HttpContext http, long limit, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > limit)
        {
            return new(null, ApiProblems.TooLarge(limit));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            int read;
            try
            {
                read = await http.Request.Body.ReadAsync(chunk, cancellationToken);
            }
            catch (BadHttpRequestException e)
            {
                // A malformed body (a broken chunked encoding, a body shorter than its length) is the client's mistake.
                return new(null, Results.Problem(detail: $"the request body could not be read: {e.Message}", statusCode: e.StatusCode, title: "Bad request body"));
            }

            if (read == 0)
            {
                break;
            }

            if (buffer.Length + read > limit)
            {
                return new(null, ApiProblems.TooLarge(limit));
            }

            buffer.Write(chunk, 0, read);
        }

        return new(buffer.ToArray(), null);
    }

    public static async Task<BodyRead<T>> ReadJsonAsync<T>(HttpContext http, CancellationToken cancellationToken)
        where T : class
    {
        var options = http.RequestServices.GetRequiredService<ApiOptions>();
        var bytes = await ReadBytesAsync(http, options.MaxJsonBytes, cancellationToken);
        if (bytes.Problem is not null)
        {
            return new(null, bytes.Problem);
        }

        if (bytes.Value!.Length == 0)
        {
            return new(null, ApiProblems.BadRequest("the request needs a JSON body"));
        }

        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = JsonSerializer.Deserialize(bytes.Value, json.TypeInfo<T>());
            return value is null ? new(null, ApiProblems.BadRequest("the body is JSON null; expected an object")) : new(value, null);
        }
        catch (JsonException e)
        {
            if (e.Message.Contains("could not be mapped", StringComparison.Ordinal) && e.Path is { Length: > 2 } field)
            {
                return new(null, ApiProblems.Invalid(field[2..], $"unknown field '{field[2..]}'"));
            }

            var where = e.Path is { Length: > 0 } path ? $" at {path}" : string.Empty;
            var line = e.LineNumber is { } l ? $" (line {l + 1}, byte {e.BytePositionInLine + 1})" : string.Empty;
            return new(null, ApiProblems.BadRequest($"the JSON body is not valid{where}{line}: {FirstSentence(e.Message)}"));
        }
    }

    /// <summary>An optional query number within bounds; a 400 naming the parameter otherwise.</summary>
    public static IResult? ReadInt(string? text, string name, int min, int max, int fallback, out int value)
    {
        value = fallback;
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            return ApiProblems.Invalid(name, $"'{text}' is not a number from {min} to {max}");
        }

        return null;
    }

    // The serializer's messages end with a hint about JsonSerializerOptions; the user needs the first part.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
