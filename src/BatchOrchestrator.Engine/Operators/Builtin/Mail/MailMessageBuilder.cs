using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Templating;
using MimeKit;

namespace BatchOrchestrator.Engine.Operators.Builtin.Mail;

/// <summary>
/// The message of a <c>mail&gt;</c> try, as MIME: the body (<c>mail&gt;: body.txt</c>, a template of
/// the workflow's folder rendered with the task's params, or <c>{data: text}</c>), plain or
/// <c>html</c>; <c>subject</c>, <c>from</c>, <c>to</c>/<c>cc</c>/<c>bcc</c> (an address, a list, or
/// comma-separated); <c>attach_files</c> of the workflow's folder; and a <c>Message-ID</c> that is
/// the same for every repetition of the try.
/// </summary>
internal sealed class MailMessageBuilder(TemplateEngine templates)
{
    private const string AttachShape = "a list of {path, filename, content_type}, each with a path";

    public async Task<MimeMessage> BuildAsync(TaskRequest request, OptionReader reader, CancellationToken cancellationToken)
    {
        var message = new MimeMessage
        {
            Subject = reader.String("subject") ?? throw new TaskFailure("mail>: subject is required", retryable: false),
            MessageId = MessageId(request),
        };
        message.From.Add(Address(reader, "from", reader.String("from") ?? throw new TaskFailure("mail>: from is required (e.g. from: batch@example.com, or in _export: mail:)", retryable: false)));
        AddAll(message.To, reader, "to");
        AddAll(message.Cc, reader, "cc");
        AddAll(message.Bcc, reader, "bcc");
        if (message.To.Count + message.Cc.Count + message.Bcc.Count == 0)
        {
            throw new TaskFailure("mail>: to is required (e.g. to: [me@example.com])", retryable: false);
        }

        var body = new BodyBuilder();
        var text = await BodyAsync(request, reader, cancellationToken);
        if (reader.Boolean("html") ?? false)
        {
            body.HtmlBody = text;
        }
        else
        {
            body.TextBody = text;
        }

        foreach (var (path, name, contentType) in Attachments(request, reader))
        {
            var content = await File.ReadAllBytesAsync(path, cancellationToken);

            // Base64 whatever the type: a text file's bytes (its line ends included) arrive as they were.
            ((MimePart)body.Attachments.Add(name, content, contentType)).ContentTransferEncoding = ContentEncoding.Base64;
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    private async Task<string> BodyAsync(TaskRequest request, OptionReader reader, CancellationToken cancellationToken)
    {
        switch (request.Command.ValueKind)
        {
            case JsonValueKind.Object when request.Command.TryGetProperty("data", out var data):
                return OptionReader.Scalar(data) ?? data.GetRawText();
            case JsonValueKind.String:
                var file = request.Command.GetString()!;
                string template;
                try
                {
                    template = await File.ReadAllTextAsync(ProjectPath(request, file, "mail>"), cancellationToken);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    throw new TaskFailure($"mail>: cannot read the body file {file}: {error.Message}", retryable: false);
                }

                try
                {
                    return templates.Render(template, ParamSet.FromJson(request.Params));
                }
                catch (TemplateException error)
                {
                    throw new TaskFailure($"mail>: in the body file {file}: {error.Message}", retryable: false);
                }

            case JsonValueKind.Undefined or JsonValueKind.Null when reader.String("body") is { } inline:
                return inline;
            default:
                throw new TaskFailure("mail>: expected a body file (mail>: body.txt) or {data: text}", retryable: false);
        }
    }

    private static IEnumerable<(string Path, string Name, ContentType ContentType)> Attachments(TaskRequest request, OptionReader reader)
    {
        if (reader.Find("attach_files") is not { } files)
        {
            yield break;
        }

        if (files.ValueKind != JsonValueKind.Array)
        {
            throw reader.Invalid("attach_files", AttachShape);
        }

        foreach (var file in files.EnumerateArray())
        {
            if (file.ValueKind != JsonValueKind.Object || Text(file, "path") is not { } relative)
            {
                throw reader.Invalid("attach_files", AttachShape, file.GetRawText());
            }

            var path = ProjectPath(request, relative, "mail> attach_files");
            if (!File.Exists(path))
            {
                throw new TaskFailure($"mail>: attach_files: {relative} does not exist (paths are relative to the workflow's folder)", retryable: false);
            }

            var typeText = Text(file, "content_type") ?? "application/octet-stream";
            if (!ContentType.TryParse(typeText, out var contentType))
            {
                throw reader.Invalid("attach_files", "a content_type such as text/csv", typeText);
            }

            yield return (path, Text(file, "filename") ?? Path.GetFileName(path), contentType);
        }
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A path of the project: relative to the workflow's folder, never outside it.</summary>
    private static string ProjectPath(TaskRequest request, string relative, string what)
    {
        var root = Path.GetFullPath(request.WorkingDirectory);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new TaskFailure($"{what}: {relative} is outside the workflow's folder", retryable: false);
    }

    private static void AddAll(InternetAddressList addresses, OptionReader reader, string option)
    {
        switch (reader.Find(option))
        {
            case null:
                break;
            case { ValueKind: JsonValueKind.Array } list:
                foreach (var item in list.EnumerateArray())
                {
                    addresses.Add(Address(reader, option, OptionReader.Scalar(item) ?? throw reader.Invalid(option, "a list of addresses", item.GetRawText())));
                }

                break;
            case { ValueKind: JsonValueKind.String } one:
                foreach (var part in one.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    addresses.Add(Address(reader, option, part));
                }

                break;
            case { } other:
                throw reader.Invalid(option, "an address or a list of addresses", other.GetRawText());
        }
    }

    /// <summary>An address with a domain (<c>me@example.com</c> or <c>Me &lt;me@example.com&gt;</c>).</summary>
    private static MailboxAddress Address(OptionReader reader, string option, string text) =>
        MailboxAddress.TryParse(text, out var address) && address.Address.IndexOf('@', StringComparison.Ordinal) > 0
            ? address
            : throw reader.Invalid(option, "an email address", $"'{text}'");

    /// <summary>The same for every repetition of one try, so a copy sent after a crash can be recognised.</summary>
    private static string MessageId(TaskRequest request)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{request.AttemptId}\n{request.TaskName}\n{request.Try.ToString(CultureInfo.InvariantCulture)}"));
        return $"{Convert.ToHexStringLower(hash)[..32]}@batchorchestrator";
    }
}
