using System.Globalization;
using System.Text.Json;
using MailKit.Security;

namespace BatchOrchestrator.Engine.Operators.Builtin.Mail;

/// <summary>
/// Where and how <c>mail&gt;</c> connects: Digdag's <c>host</c>, <c>port</c> (25), <c>username</c>,
/// <c>tls</c> (true: STARTTLS when the server offers it), <c>ssl</c> (false: implicit TLS from the
/// first byte, SMTPS on 465), <c>connect_timeout</c> and <c>socket_timeout</c>. The secrets
/// <c>mail.host</c>, <c>mail.port</c>, <c>mail.username</c>, <c>mail.tls</c>, <c>mail.ssl</c> win over
/// the options, as in Digdag; the password is only ever the secret <c>mail.password</c>.
/// </summary>
internal sealed record MailServer(string Host, int Port, string? Username, string? Password, SecureSocketOptions Security, TimeSpan ConnectTimeout, TimeSpan SocketTimeout)
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(180);

    public string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>How the connection is protected, as the task log says it.</summary>
    public string SecurityText => Security switch
    {
        SecureSocketOptions.SslOnConnect => " (TLS)",
        SecureSocketOptions.StartTlsWhenAvailable => " (STARTTLS when offered)",
        _ => string.Empty,
    };

    public static MailServer Read(TaskRequest request, OptionReader reader)
    {
        var host = Secret(request, "host") ?? reader.String("host")
            ?? throw new TaskFailure("mail>: no SMTP host: set the host option (or _export: mail: host:) or the secret mail.host", retryable: false);
        var portText = Secret(request, "port") ?? reader.String("port") ?? "25";
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw reader.Invalid("port", "a port number from 1 to 65535", portText);
        }

        if (reader.Find("password") is not null)
        {
            throw new TaskFailure("mail>: the password option is not read (it would be written in the workflow); set the secret mail.password instead", retryable: false);
        }

        // Digdag: ssl wraps the connection in TLS from the start; tls asks for STARTTLS (and goes on in clear text without it).
        var security = (Flag(reader, request, "ssl") ?? false) ? SecureSocketOptions.SslOnConnect
            : (Flag(reader, request, "tls") ?? true) ? SecureSocketOptions.StartTlsWhenAvailable
            : SecureSocketOptions.None;
        var username = Secret(request, "username") ?? reader.String("username");
        return new MailServer(
            host,
            port,
            string.IsNullOrEmpty(username) ? null : username,
            Secret(request, "password"),
            security,
            reader.Duration("connect_timeout") ?? DefaultTimeout,
            reader.Duration("socket_timeout") ?? DefaultTimeout);
    }

    private static string? Secret(TaskRequest request, string name) =>
        request.Params.ValueKind == JsonValueKind.Object && request.Params.TryGetProperty("mail." + name, out var value)
            ? OptionReader.Scalar(value)
            : null;

    private static bool? Flag(OptionReader reader, TaskRequest request, string name) =>
        Secret(request, name) is { } secret
            ? bool.TryParse(secret, out var parsed) ? parsed : throw new TaskFailure($"mail>: the secret mail.{name} must be true or false", retryable: false)
            : reader.Boolean(name);
}
