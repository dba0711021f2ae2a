using BatchOrchestrator.Language.Operators;
using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Engine.Operators.Builtin.Mail;

/// <summary>
/// <c>mail&gt;: body.txt</c> (a template file, relative to the workflow) or <c>mail&gt;: {data: text}</c>
/// — Digdag's mail operator over SMTP: <c>subject</c>, <c>to</c>, <c>cc</c>, <c>bcc</c>, <c>from</c>,
/// <c>html</c>, <c>attach_files</c>, and the server from <c>host</c>/<c>port</c>/<c>username</c>/
/// <c>tls</c>/<c>ssl</c>/<c>socket_timeout</c>, each from the task, else <c>_export: mail:</c>; the
/// secrets <c>mail.host</c>, <c>mail.port</c>, <c>mail.username</c>, <c>mail.password</c>,
/// <c>mail.tls</c>, <c>mail.ssl</c> come first when set, as in Digdag.
/// </summary>
/// <remarks>
/// Sent with the BCL's <see cref="SmtpClient"/>: <c>tls: true</c> (the default) requires STARTTLS;
/// implicit TLS (<c>ssl: true</c>, SMTPS on port 465) is not available and fails with a message.
/// Runs at least once per try: after a crash a message may be sent again, with the same
/// <c>Message-ID</c>, which lets a mail system drop the copy.
/// </remarks>
public sealed class MailOperator(ILogStore logs, TemplateEngine? templates = null) : IOperator, ISecretConsumer
{
    public static OperatorDescription Description { get; } = new("mail", "sends an email")
    {
        // The body may come from the body: option instead of the command.
        CommandRequired = false, PassesParams = true, Validator = new MailValidator(),
        Options =
        [
            new("subject", OptionType.String, Required: true), new("to", OptionType.StringOrList, Required: true),
            new("cc", OptionType.StringOrList), new("bcc", OptionType.StringOrList), new("from", OptionType.String, Required: true),
            new("html", OptionType.Boolean), new("attach_files", OptionType.MappingList), new("body", OptionType.String),
            new("host", OptionType.String), new("port", OptionType.Integer), new("username", OptionType.String),
            new("tls", OptionType.Boolean), new("ssl", OptionType.Boolean), new("debug", OptionType.Boolean),
            new("connect_timeout", OptionType.Duration), new("socket_timeout", OptionType.Duration),
        ],
    };

    public const string OperatorName = "mail";

    private readonly TemplateEngine _templates = templates ?? new TemplateEngine();

    public string Name => OperatorName;

    public IReadOnlyList<string> SecretKeys { get; } = ["mail.host", "mail.port", "mail.username", "mail.password", "mail.tls", "mail.ssl"];

    public async Task<TaskResult> RunAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reader = new OptionReader(request, OperatorName);
        var server = Server(request, reader);
        using var message = await MessageAsync(request, reader, cancellationToken);
        await LogAsync(request, $"> SMTP {server.Host}:{server.Port.ToString(CultureInfo.InvariantCulture)}{(server.StartTls ? " (STARTTLS)" : string.Empty)}: \"{message.Subject}\" from {message.From} to {string.Join(", ", message.To.Concat(message.CC).Concat(message.Bcc))}{(message.Attachments.Count > 0 ? $", {message.Attachments.Count} attachment(s)" : string.Empty)}", cancellationToken);
        using var client = new SmtpClient(server.Host, server.Port)
        {
            EnableSsl = server.StartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = (int)Math.Min(int.MaxValue, server.Timeout.TotalMilliseconds),
            Credentials = server.Username is null ? null : new NetworkCredential(server.Username, server.Password ?? string.Empty),
        };
        try
        {
            await client.SendMailAsync(message, cancellationToken);
        }
        catch (SmtpException error)
        {
            // A refused recipient or a bad login will not pass on a retry; a server busy or gone might.
            var permanent = error.StatusCode is SmtpStatusCode.MailboxUnavailable or SmtpStatusCode.MailboxNameNotAllowed or SmtpStatusCode.UserNotLocalTryAlternatePath
                or SmtpStatusCode.ExceededStorageAllocation or SmtpStatusCode.CommandNotImplemented or SmtpStatusCode.SyntaxError or SmtpStatusCode.CommandParameterNotImplemented
                || error.Message.Contains("authenticat", StringComparison.OrdinalIgnoreCase);
            var inner = error.InnerException is { } cause ? $" ({cause.Message})" : string.Empty;
            throw new TaskFailure($"mail>: sending through {server.Host}:{server.Port.ToString(CultureInfo.InvariantCulture)} failed: {error.Message}{inner}", retryable: !permanent);
        }

        await LogAsync(request, "< sent", cancellationToken);
        return TaskResult.Empty;
    }

    private sealed record SmtpServer(string Host, int Port, string? Username, string? Password, bool StartTls, TimeSpan Timeout);

    private static SmtpServer Server(TaskRequest request, OptionReader reader)
    {
        var host = Secret(request, "host") ?? reader.String("host")
            ?? throw new TaskFailure("mail>: no SMTP host: set the host option (or _export: mail: host:) or the secret mail.host", retryable: false);
        var portText = Secret(request, "port") ?? reader.String("port") ?? "25";
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw reader.Invalid("port", "a port number from 1 to 65535", portText);
        }

        if (Flag(reader, request, "ssl") ?? false)
        {
            throw new TaskFailure("mail>: ssl: true (SMTPS, implicit TLS on port 465) is not supported here; use tls: true with the server's STARTTLS port (usually 587)", retryable: false);
        }

        if (reader.Find("password") is not null)
        {
            throw new TaskFailure("mail>: the password option is not read (it would be written in the workflow); set the secret mail.password instead", retryable: false);
        }

        var username = Secret(request, "username") ?? reader.String("username");
        var timeout = reader.Duration("socket_timeout") ?? TimeSpan.FromSeconds(180);
        return new SmtpServer(host, port, username, Secret(request, "password"), Flag(reader, request, "tls") ?? true, timeout);
    }

    private async Task<MailMessage> MessageAsync(TaskRequest request, OptionReader reader, CancellationToken cancellationToken)
    {
        var body = await BodyAsync(request, reader, cancellationToken);
        var message = new MailMessage
        {
            From = Address(reader, "from", reader.String("from") ?? throw new TaskFailure("mail>: from is required (e.g. from: batch@example.com, or in _export: mail:)", retryable: false)),
            Subject = reader.String("subject") ?? throw new TaskFailure("mail>: subject is required", retryable: false),
            Body = body,
            IsBodyHtml = reader.Boolean("html") ?? false,
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
        };
        try
        {
            AddAll(message.To, reader, "to");
            AddAll(message.CC, reader, "cc");
            AddAll(message.Bcc, reader, "bcc");
            if (message.To.Count + message.CC.Count + message.Bcc.Count == 0)
            {
                throw new TaskFailure("mail>: to is required (e.g. to: [me@example.com])", retryable: false);
            }

            message.Headers.Add("Message-ID", MessageId(request));
            foreach (var attachment in Attachments(request, reader))
            {
                message.Attachments.Add(attachment);
            }

            return message;
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    /// <summary>The body: <c>{data: text}</c>, or a file of the workflow's folder rendered as a template with the task's params.</summary>
    private async Task<string> BodyAsync(TaskRequest request, OptionReader reader, CancellationToken cancellationToken)
    {
        switch (request.Command.ValueKind)
        {
            case JsonValueKind.Object when request.Command.TryGetProperty("data", out var data):
                return OptionReader.Scalar(data) ?? data.GetRawText();
            case JsonValueKind.String:
                var path = ProjectPath(request, request.Command.GetString()!, "mail>");
                string template;
                try
                {
                    template = await File.ReadAllTextAsync(path, cancellationToken);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    throw new TaskFailure($"mail>: cannot read the body file {request.Command.GetString()}: {error.Message}", retryable: false);
                }

                try
                {
                    return _templates.Render(template, ParamSet.FromJson(request.Params));
                }
                catch (TemplateException error)
                {
                    throw new TaskFailure($"mail>: in the body file {request.Command.GetString()}: {error.Message}", retryable: false);
                }

            case JsonValueKind.Undefined or JsonValueKind.Null when reader.String("body") is { } inline:
                return inline;
            default:
                throw new TaskFailure("mail>: expected a body file (mail>: body.txt) or {data: text}", retryable: false);
        }
    }

    private static IEnumerable<Attachment> Attachments(TaskRequest request, OptionReader reader)
    {
        if (reader.Find("attach_files") is not { } files)
        {
            yield break;
        }

        if (files.ValueKind != JsonValueKind.Array)
        {
            throw reader.Invalid("attach_files", "a list of {path, filename, content_type}");
        }

        foreach (var file in files.EnumerateArray())
        {
            if (file.ValueKind != JsonValueKind.Object || !file.TryGetProperty("path", out var pathValue) || pathValue.ValueKind != JsonValueKind.String)
            {
                throw reader.Invalid("attach_files", "a list of {path, filename, content_type}, each with a path", file.GetRawText());
            }

            var path = ProjectPath(request, pathValue.GetString()!, "mail> attach_files");
            if (!File.Exists(path))
            {
                throw new TaskFailure($"mail>: attach_files: {pathValue.GetString()} does not exist (paths are relative to the workflow's folder)", retryable: false);
            }

            var contentType = file.TryGetProperty("content_type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : "application/octet-stream";
            var name = file.TryGetProperty("filename", out var given) && given.ValueKind == JsonValueKind.String ? given.GetString()! : Path.GetFileName(path);
            var attachment = new Attachment(path, contentType) { Name = name };
            attachment.ContentDisposition!.FileName = name;
            yield return attachment;
        }
    }

    /// <summary>A path of the project: relative to the workflow's folder, never outside it.</summary>
    private static string ProjectPath(TaskRequest request, string relative, string what)
    {
        var root = Path.GetFullPath(request.WorkingDirectory);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new TaskFailure($"{what}: {relative} is outside the workflow's folder", retryable: false);
    }

    private static void AddAll(MailAddressCollection collection, OptionReader reader, string option)
    {
        switch (reader.Find(option))
        {
            case null:
                break;
            case { ValueKind: JsonValueKind.Array } list:
                foreach (var item in list.EnumerateArray())
                {
                    collection.Add(Address(reader, option, OptionReader.Scalar(item) ?? throw reader.Invalid(option, "a list of addresses", item.GetRawText())));
                }

                break;
            case { ValueKind: JsonValueKind.String } one:
                foreach (var part in one.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    collection.Add(Address(reader, option, part));
                }

                break;
            case { } other:
                throw reader.Invalid(option, "an address or a list of addresses", other.GetRawText());
        }
    }

    private static MailAddress Address(OptionReader reader, string option, string text) =>
        MailAddress.TryCreate(text, out var address) ? address : throw reader.Invalid(option, "an email address", $"'{text}'");

    /// <summary>The same for every repetition of one try, so a copy sent after a crash can be recognised.</summary>
    private static string MessageId(TaskRequest request)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{request.AttemptId}\n{request.TaskName}\n{request.Try.ToString(CultureInfo.InvariantCulture)}"));
        return $"<{Convert.ToHexStringLower(hash)[..32]}@batchorchestrator>";
    }

    private static string? Secret(TaskRequest request, string name) =>
        request.Params.ValueKind == JsonValueKind.Object && request.Params.TryGetProperty("mail." + name, out var value)
            ? OptionReader.Scalar(value)
            : null;

    private static bool? Flag(OptionReader reader, TaskRequest request, string name) =>
        Secret(request, name) is { } secret
            ? bool.TryParse(secret, out var parsed) ? parsed : throw new TaskFailure($"mail>: the secret mail.{name} must be true or false", retryable: false)
            : reader.Boolean(name);

    private Task LogAsync(TaskRequest request, string line, CancellationToken cancellationToken) =>
        logs.AppendAsync(request.Log, line + "\n", cancellationToken);
}
