using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace BatchOrchestrator.Engine.Operators.Builtin.Mail;

/// <summary>
/// One SMTP session on MailKit: connect (implicit TLS, STARTTLS or clear text, as
/// <see cref="MailServer.Security"/> says), log in when a user is set, send, quit. A failure becomes a
/// <see cref="TaskFailure"/> that names the server and says whether trying again can help: a refused
/// login, sender or recipient, a 5xx answer or an untrusted certificate will fail the same way
/// again; a 4xx answer, a dropped connection or no answer in time may not.
/// </summary>
internal sealed class SmtpSender(RemoteCertificateValidationCallback? validateCertificate)
{
    /// <summary>Sends <paramref name="message"/> and returns the server's answer to it (e.g. <c>250 OK: queued</c>).</summary>
    public async Task<string> SendAsync(MailServer server, MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = Milliseconds(server.SocketTimeout) };
        if (validateCertificate is not null)
        {
            client.ServerCertificateValidationCallback = validateCertificate;
        }

        try
        {
            await ConnectAsync(client, server, cancellationToken);
            if (server.Username is { } user)
            {
                await client.AuthenticateAsync(user, server.Password ?? string.Empty, cancellationToken);
            }

            var answer = await client.SendAsync(message, cancellationToken);
            await QuitAsync(client, cancellationToken);
            return answer;
        }
        catch (Exception error) when (Failure(server, error) is { } failure)
        {
            throw failure;
        }
    }

    private static async Task ConnectAsync(SmtpClient client, MailServer server, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(server.ConnectTimeout);
        try
        {
            await client.ConnectAsync(server.Host, server.Port, server.Security, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within connect_timeout ({server.ConnectTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)");
        }
    }

    /// <summary>QUIT after the message was accepted: a server that drops the line then has the message all the same.</summary>
    private static async Task QuitAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception error) when (error is IOException or SocketException or SmtpProtocolException or TimeoutException)
        {
            // Sent already; the session's end is not the task's business.
        }
    }

    private static TaskFailure? Failure(MailServer server, Exception error)
    {
        var prefix = $"mail>: sending through {server.Endpoint} failed: ";
        return error switch
        {
            AuthenticationException => new TaskFailure($"{prefix}the server refused the login ({error.Message}); check the secrets mail.username and mail.password", retryable: false),
            ServiceNotAuthenticatedException => new TaskFailure($"{prefix}the server requires a login ({error.Message}); set the secrets mail.username and mail.password", retryable: false),
            SmtpCommandException command => new TaskFailure(prefix + Refusal(command), retryable: (int)command.StatusCode < 500),
            SslHandshakeException handshake => new TaskFailure(prefix + Handshake(server, handshake), retryable: false),
            NotSupportedException => new TaskFailure($"{prefix}{error.Message}", retryable: false),
            SmtpProtocolException or IOException or SocketException or TimeoutException => new TaskFailure($"{prefix}{error.Message}", retryable: true),
            _ => null,
        };
    }

    private static string Refusal(SmtpCommandException error)
    {
        var code = ((int)error.StatusCode).ToString(CultureInfo.InvariantCulture);
        return error.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => $"the server refused the recipient {error.Mailbox}: {code} {error.Message}",
            SmtpErrorCode.SenderNotAccepted => $"the server refused the sender {error.Mailbox}: {code} {error.Message}",
            _ => $"the server refused the message: {code} {error.Message}",
        };
    }

    /// <summary>MailKit's own account of a certificate it refused (it lists the reasons); otherwise what most likely went wrong.</summary>
    private static string Handshake(MailServer server, SslHandshakeException error) =>
        error.ServerCertificate is not null
            ? error.Message.Trim()
            : server.Security == SecureSocketOptions.SslOnConnect
                ? $"no TLS handshake ({error.InnerException?.Message ?? "the server did not answer in TLS"}). ssl: true speaks TLS from the first byte, as SMTPS servers (port 465) do; " +
                  "for a server that offers STARTTLS (usually port 587) use tls: true without ssl."
                : $"the STARTTLS handshake failed ({error.InnerException?.Message ?? error.Message})";

    private static int Milliseconds(TimeSpan span) => (int)Math.Min(int.MaxValue, span.TotalMilliseconds);
}
