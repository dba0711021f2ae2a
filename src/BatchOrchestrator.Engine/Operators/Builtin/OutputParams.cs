using System.Text;
using System.Text.Json;

namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>
/// Reads the store params a <c>sh&gt;</c> script wrote to <c>$BO_OUTPUT</c> [ours]: either a JSON
/// object, or <c>key=value</c> lines (values are strings; blank lines and <c>#</c> comments are skipped).
/// </summary>
internal static class OutputParams
{
    /// <summary>The params as a JSON object, or undefined when there is no output.</summary>
    /// <exception cref="TaskFailure">The content is neither a JSON object nor key=value lines.</exception>
    public static JsonElement? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.TrimStart();
        return trimmed.StartsWith('{') ? ParseJson(trimmed) : ParseLines(text);
    }

    private static JsonElement ParseJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new TaskFailure($"$BO_OUTPUT starts with '{{' but is not a valid JSON object: {e.Message}", retryable: false);
        }
    }

    private static JsonElement ParseLines(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? "" : line[..equals].Trim();
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
            {
                throw new TaskFailure(
                    $"$BO_OUTPUT line {number} is not 'key=value' (nor is the file a JSON object): '{Shorten(line)}'",
                    retryable: false);
            }

            values[key] = line[(equals + 1)..];
        }

        return values.Count == 0 ? default : JsonSerializer.SerializeToElement(values, BatchOrchestrator.Engine.Json.ValuesJsonContext.Default.DictionaryStringString);
    }

    private static string Shorten(string line) =>
        line.Length <= 80 ? line : new StringBuilder(line, 0, 77, 80).Append("...").ToString();
}
