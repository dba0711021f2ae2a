using System.Buffers;
using System.Text;
using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Engine.Secrets;

/// <summary>
/// Replaces known secret values with <c>***</c> in text and JSON.
/// <para>The rules:</para>
/// <list type="bullet">
/// <item>Values are matched exactly (ordinal), left to right; where several match at one place the
/// longest wins, so a value that contains another is masked whole.</item>
/// <item>Values shorter than <see cref="MinimumLength"/> characters are not masked: masking every
/// <c>1</c> or <c>abc</c> in a log would garble it and point at the secret anyway (such a value is
/// no secret worth the name). Choose secrets of at least 4 characters.</item>
/// <item>Only the value as written is found: an encoding of it (base64, JSON- or URL-escaped, split
/// by line breaks) is not.</item>
/// </list>
/// Immutable and safe to share between threads.
/// </summary>
public sealed class SecretMasker
{
    /// <summary>Values shorter than this are not masked.</summary>
    public const int MinimumLength = 4;

    /// <summary>What a masked value is replaced with.</summary>
    public const string Replacement = "***";

    private readonly string[] _values;
    private readonly SearchValues<char> _firstChars;

    public SecretMasker(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = [.. values.Where(v => v is { Length: >= MinimumLength }).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length)];
        _firstChars = SearchValues.Create([.. _values.Select(v => v[0]).Distinct()]);
        MaxLength = _values.Length == 0 ? 0 : _values[0].Length;
    }

    /// <summary>A masker with nothing to mask.</summary>
    public static SecretMasker None { get; } = new([]);

    /// <summary>
    /// A masker for values and the forms a server is likely to echo them in — JSON-escaped and
    /// URL-encoded — for operators that send secrets over the wire (<c>http&gt;</c>).
    /// </summary>
    public static SecretMasker WithEncodedForms(IEnumerable<string?> values) =>
        new(values.OfType<string>().SelectMany(v => new[]
        {
            v,
            System.Text.Json.JsonEncodedText.Encode(v, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
            System.Text.Json.JsonEncodedText.Encode(v).ToString(),
            Uri.EscapeDataString(v),
        }));

    /// <summary>A masker that masks these values too (their encoded forms included).</summary>
    public SecretMasker AndEncodedForms(IEnumerable<string?> more) => new(_values.Concat(WithEncodedForms(more)._values));

    public bool IsEmpty => _values.Length == 0;

    /// <summary>The length of the longest value: how much of a stream must be held back before it can be written.</summary>
    public int MaxLength { get; }

    /// <summary>The text with every value masked.</summary>
    public string Mask(string text) => MaskStream(text, final: true, out _);

    /// <summary>
    /// Masks a stream piece by piece: returns the masked text that is safe to write now and keeps
    /// in <paramref name="rest"/> the end that might be the start of a value (fewer than
    /// <see cref="MaxLength"/> characters), to be put in front of the next piece. With
    /// <paramref name="final"/> everything is returned and <paramref name="rest"/> is empty.
    /// </summary>
    public string MaskStream(string text, bool final, out string rest)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsEmpty)
        {
            rest = string.Empty;
            return text;
        }

        // A match starting before the cutoff lies wholly inside the text, so it can be decided now.
        var cutoff = final ? text.Length : Math.Max(0, text.Length - (MaxLength - 1));
        var output = new StringBuilder(text.Length);
        var i = 0;
        var endsWithCopiedChar = false;
        while (i < cutoff)
        {
            var next = text.AsSpan(i, cutoff - i).IndexOfAny(_firstChars);
            if (next < 0)
            {
                output.Append(text, i, cutoff - i);
                i = cutoff;
                endsWithCopiedChar = true;
                break;
            }

            output.Append(text, i, next);
            i += next;
            var length = MatchAt(text, i);
            if (length > 0)
            {
                output.Append(Replacement);
                i += length;
                endsWithCopiedChar = false;
            }
            else
            {
                output.Append(text[i]);
                i++;
                endsWithCopiedChar = true;
            }
        }

        // Never cut between the halves of a surrogate pair: the log is UTF-8.
        if (!final && endsWithCopiedChar && i > 0 && i < text.Length && char.IsHighSurrogate(text[i - 1]))
        {
            output.Length--;
            i--;
        }

        rest = text[i..];
        return output.ToString();
    }

    /// <summary>True when <paramref name="text"/> holds a value.</summary>
    public bool Reveals(string? text) =>
        text is not null && _values.Any(v => text.Contains(v, StringComparison.Ordinal));

    /// <summary>True when the message of the exception or of any inner exception holds a value.</summary>
    public bool Reveals(Exception? exception) =>
        exception is not null && (Reveals(exception.Message) || Reveals(exception.InnerException)
            || (exception is AggregateException all && all.InnerExceptions.Any(Reveals)));

    /// <summary>
    /// A failure to throw in place of one that reveals a value: its message masked, without the
    /// inner exceptions (they would carry the value into history). A <see cref="TaskFailure"/>
    /// keeps its retry rule; another exception's type is named in the message.
    /// </summary>
    public TaskFailure Redact(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is TaskFailure failure
            ? new TaskFailure(Mask(failure.Message), failure.Retryable)
            : new TaskFailure($"{exception.GetType().FullName}: {Mask(exception.Message)}");
    }

    /// <summary>The JSON value with every string value masked (the same value when none holds a secret).</summary>
    public JsonElement Mask(JsonElement element) => IsEmpty ? element : JsonStrings.Map(element, Mask);

    /// <summary>The result with every field masked: params, reset keys, subtasks, and the poll state (kept in history).</summary>
    public TaskResult Mask(TaskResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return IsEmpty
            ? result
            : result with
            {
                StoreParams = result.StoreParams is { } store ? Mask(store) : null,
                ExportParams = result.ExportParams is { } export ? Mask(export) : null,
                Subtasks = result.Subtasks is { } subtasks ? Mask(subtasks) : null,
                ResetStoreParams = [.. result.ResetStoreParams.Select(Mask)],
                PollAgain = result.PollAgain is { } poll ? poll with { State = Mask(poll.State) } : null,
            };
    }

    /// <summary>The status with its failure message and output masked.</summary>
    public CommandStatus Mask(CommandStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return IsEmpty
            ? status
            : status with
            {
                FailureMessage = status.FailureMessage is { } message ? Mask(message) : null,
                OutputText = status.OutputText is { } output ? Mask(output) : null,
            };
    }

    private int MatchAt(string text, int index)
    {
        var remaining = text.AsSpan(index);
        foreach (var value in _values)
        {
            if (remaining.StartsWith(value, StringComparison.Ordinal))
            {
                return value.Length;
            }
        }

        return 0;
    }
}
