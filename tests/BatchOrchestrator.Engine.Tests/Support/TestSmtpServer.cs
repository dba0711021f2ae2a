using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BatchOrchestrator.Engine.Tests.Support;

/// <summary>
/// A small SMTP receiver (RFC 5321) on 127.0.0.1: EHLO/HELO, optional AUTH PLAIN and LOGIN
/// (RFC 4954), MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT. It records each
/// message's envelope and raw content and replies as a real server does (503 for commands out of
/// order, 530 when authentication is required, 535 for wrong credentials).
/// </summary>
internal sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _messages = new();
    private readonly (string User, string Password)? _credentials;
    private readonly Task _accepting;

    private TestSmtpServer((string User, string Password)? credentials)
    {
        _credentials = credentials;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<ReceivedMail> Messages => [.. _messages];

    /// <summary>Starts a server; with <paramref name="credentials"/> it requires AUTH before MAIL.</summary>
    public static TestSmtpServer Start((string User, string Password)? credentials = null) => new(credentials);

    private async Task AcceptAsync()
    {
        List<Task> sessions = [];
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                sessions.Add(SessionAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        await Task.WhenAll(sessions);
    }

    private async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        var token = _stop.Token;
        string? from = null;
        List<string> recipients = [];
        string? user = null;
        var greeted = false;
        try
        {
            await writer.WriteLineAsync("220 localhost test SMTP ready");
            while (await reader.ReadLineAsync(token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : string.Empty;
                switch (verb)
                {
                    case "EHLO":
                        greeted = true;
                        await writer.WriteLineAsync("250-localhost greets " + argument);
                        await writer.WriteLineAsync("250-8BITMIME");
                        await writer.WriteLineAsync(_credentials is null ? "250 SIZE 10485760" : "250 AUTH PLAIN LOGIN");
                        break;
                    case "HELO":
                        greeted = true;
                        await writer.WriteLineAsync("250 localhost");
                        break;
                    case "AUTH":
                        user = await AuthenticateAsync(argument, reader, writer, token);
                        break;
                    case "MAIL" when !greeted:
                        await writer.WriteLineAsync("503 5.5.1 EHLO first");
                        break;
                    case "MAIL" when _credentials is not null && user is null:
                        await writer.WriteLineAsync("530 5.7.0 Authentication required");
                        break;
                    case "MAIL":
                        from = Address(argument, "FROM:");
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.1.0 Ok");
                        break;
                    case "RCPT" when from is null:
                        await writer.WriteLineAsync("503 5.5.1 MAIL first");
                        break;
                    case "RCPT":
                        recipients.Add(Address(argument, "TO:"));
                        await writer.WriteLineAsync("250 2.1.5 Ok");
                        break;
                    case "DATA" when recipients.Count == 0:
                        await writer.WriteLineAsync("503 5.5.1 RCPT first");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var content = await ReadDataAsync(reader, token);
                        _messages.Enqueue(new ReceivedMail(from!, [.. recipients], content, user));
                        from = null;
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.0.0 Ok: queued");
                        break;
                    case "RSET":
                        from = null;
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.0.0 Ok");
                        break;
                    case "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 Ok");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Command not recognized");
                        break;
                }
            }
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the server stops.
        }
    }

    /// <summary>AUTH PLAIN (initial response or after 334) and AUTH LOGIN; the user on success, else null.</summary>
    private async Task<string?> AuthenticateAsync(string argument, StreamReader reader, StreamWriter writer, CancellationToken token)
    {
        var parts = argument.Split(' ', 2);
        string user;
        string password;
        switch (parts[0].ToUpperInvariant())
        {
            case "PLAIN":
                var response = parts.Length > 1 ? parts[1] : await ChallengeAsync(string.Empty, reader, writer, token);
                var fields = Encoding.UTF8.GetString(Convert.FromBase64String(response)).Split('\0');
                (user, password) = (fields[1], fields[2]);
                break;
            case "LOGIN":
                user = Decode(parts.Length > 1 ? parts[1] : await ChallengeAsync("Username:", reader, writer, token));
                password = Decode(await ChallengeAsync("Password:", reader, writer, token));
                break;
            default:
                await writer.WriteLineAsync("504 5.5.4 Unrecognized authentication type");
                return null;
        }

        if (_credentials is { } expected && expected.User == user && expected.Password == password)
        {
            await writer.WriteLineAsync("235 2.7.0 Authentication successful");
            return user;
        }

        await writer.WriteLineAsync("535 5.7.8 Authentication credentials invalid");
        return null;

        static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));
    }

    private static async Task<string> ChallengeAsync(string prompt, StreamReader reader, StreamWriter writer, CancellationToken token)
    {
        await writer.WriteLineAsync("334 " + Convert.ToBase64String(Encoding.UTF8.GetBytes(prompt)));
        return await reader.ReadLineAsync(token) ?? string.Empty;
    }

    /// <summary>Lines up to the lone ".", with the leading dot of dot-stuffed lines removed (RFC 5321 4.5.2).</summary>
    private static async Task<string> ReadDataAsync(StreamReader reader, CancellationToken token)
    {
        var content = new StringBuilder();
        while (await reader.ReadLineAsync(token) is { } line && line != ".")
        {
            content.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
        }

        return content.ToString();
    }

    private static string Address(string argument, string prefix)
    {
        var rest = argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? argument[prefix.Length..] : argument;
        var start = rest.IndexOf('<', StringComparison.Ordinal);
        var end = rest.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? rest[(start + 1)..end] : rest.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}

/// <summary>One message as the server received it: the envelope and the raw content (headers and MIME body).</summary>
internal sealed record ReceivedMail(string From, IReadOnlyList<string> Recipients, string Content, string? AuthenticatedUser)
{
    /// <summary>An unfolded header of the message, or null.</summary>
    public string? Header(string name) => MimePart.Parse(Content).Header(name);

    /// <summary>The leaf parts of the message (the body, then attachments), decoded.</summary>
    public IReadOnlyList<MimePart> Parts => MimePart.Parse(Content).Leaves();
}

/// <summary>A MIME entity: its headers and its content decoded from base64 or quoted-printable (RFC 2045), split at multipart boundaries.</summary>
internal sealed record MimePart(IReadOnlyList<KeyValuePair<string, string>> Headers, string RawBody)
{
    public static MimePart Parse(string text)
    {
        var split = text.Split("\r\n\r\n", 2);
        var unfolded = split[0].Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal);
        var headers = unfolded.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2).Select(p => KeyValuePair.Create(p[0].Trim(), p[1].Trim())).ToList();
        return new MimePart(headers, split.Length > 1 ? split[1] : string.Empty);
    }

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public string ContentType => Header("Content-Type") ?? "text/plain";

    /// <summary>A parameter of a header (<c>boundary</c>, <c>name</c>, <c>filename</c>), unquoted.</summary>
    public string? Parameter(string header, string name) =>
        Header(header)?.Split(';').Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => p[1].Trim().Trim('"')).FirstOrDefault();

    public byte[] Bytes => (Header("Content-Transfer-Encoding") ?? "7bit").ToLowerInvariant() switch
    {
        "base64" => Convert.FromBase64String(string.Concat(RawBody.Split("\r\n"))),
        "quoted-printable" => QuotedPrintable(RawBody),
        _ => Encoding.UTF8.GetBytes(RawBody),
    };

    public string Text => Encoding.UTF8.GetString(Bytes);

    public IReadOnlyList<MimePart> Leaves()
    {
        if (!ContentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return [this];
        }

        var boundary = "--" + Parameter("Content-Type", "boundary");
        return RawBody.Split(boundary).Skip(1).TakeWhile(p => !p.StartsWith("--", StringComparison.Ordinal))
            .SelectMany(p => Parse(p.TrimStart('\r', '\n')).Leaves()).ToList();
    }

    private static byte[] QuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        var soft = text.Replace("=\r\n", string.Empty, StringComparison.Ordinal);
        for (var i = 0; i < soft.Length; i++)
        {
            if (soft[i] == '=' && i + 2 < soft.Length)
            {
                bytes.Add(Convert.ToByte(soft.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(soft[i].ToString()));
            }
        }

        return [.. bytes];
    }
}
