using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using BatchOrchestrator.Storage.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Support.Smtp;

/// <summary>
/// A real SMTP server for the mail&gt; tests: the npm package <c>smtp-server</c> (with
/// <c>mailparser</c> to read what arrives), installed into <c>tests/.tools/smtp-server</c> on first
/// use and run by <c>smtp-receiver.cjs</c> on a free loopback port. Each message it accepted is
/// read back as a <see cref="ReceivedMail"/>: envelope, login, whether TLS was on, headers, bodies,
/// attachments.
/// </summary>
internal sealed class SmtpReceiver : IAsyncDisposable
{
    public const string SmtpServerVersion = "3.21.6";
    public const string MailParserVersion = "3.14.2";

    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly Process _process;
    private readonly string _setupFile;
    private readonly Channel<ReceivedMail> _received = Channel.CreateUnbounded<ReceivedMail>();
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _output = new();

    private SmtpReceiver(Process process, string setupFile)
    {
        _process = process;
        _setupFile = setupFile;
    }

    public int Port { get; private set; }

    public static async Task<SmtpReceiver> StartAsync(SmtpReceiverSetup setup, CancellationToken cancellationToken)
    {
        var folder = await NpmTool.InstallAsync(
            "smtp-server",
            "node_modules/mailparser/package.json",
            [$"smtp-server@{SmtpServerVersion}", $"mailparser@{MailParserVersion}"],
            cancellationToken);
        var setupFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(setupFile, JsonSerializer.Serialize(setup with { ToolFolder = folder }, Json), cancellationToken);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Support", "Smtp", "smtp-receiver.cjs"));
        start.ArgumentList.Add(setupFile);
        var receiver = new SmtpReceiver(Process.Start(start) ?? throw new InvalidOperationException("node did not start"), setupFile);
        receiver._process.OutputDataReceived += (_, e) => receiver.Read(e.Data);
        receiver._process.ErrorDataReceived += (_, e) => receiver.Note(e.Data);
        receiver._process.EnableRaisingEvents = true;
        receiver._process.Exited += (_, _) => receiver._listening.TrySetException(new InvalidOperationException($"the SMTP server exited before listening:\n{receiver.Output}"));
        receiver._process.BeginOutputReadLine();
        receiver._process.BeginErrorReadLine();
        try
        {
            receiver.Port = await receiver._listening.Task.WaitAsync(StartLimit, cancellationToken);
        }
        catch
        {
            await receiver.DisposeAsync();
            throw;
        }

        return receiver;
    }

    /// <summary>What the server printed (its errors, if any), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The next message the server accepted (it is written out before the server's 250, so after a send it is there).</summary>
    public async Task<ReceivedMail> NextAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _received.Reader.ReadAsync(guard.Token);
    }

    /// <summary>Every message received so far and not yet taken.</summary>
    public IReadOnlyList<ReceivedMail> Pending()
    {
        List<ReceivedMail> messages = [];
        while (_received.Reader.TryRead(out var mail))
        {
            messages.Add(mail);
        }

        return messages;
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        Note(line);
        using var document = JsonDocument.Parse(line);
        switch (document.RootElement.GetProperty("event").GetString())
        {
            case "listening":
                _listening.TrySetResult(document.RootElement.GetProperty("port").GetInt32());
                break;
            case "message":
                _received.Writer.TryWrite(document.RootElement.Deserialize<ReceivedMail>(Json)!);
                break;
        }
    }

    private void Note(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_setupFile);
    }
}

/// <summary>How the test server is set up (see <c>smtp-receiver.cjs</c>).</summary>
/// <param name="CertPem">The server's certificate chain (PEM); with it, TLS is possible.</param>
/// <param name="KeyPem">Its private key (PEM).</param>
/// <param name="ImplicitTls">TLS from the first byte (SMTPS, as on port 465).</param>
/// <param name="OfferStartTls">STARTTLS in the EHLO answer (needs a certificate).</param>
/// <param name="Users">Logins it accepts; with any, a login is required before MAIL.</param>
/// <param name="RefuseRecipients">Addresses it answers 550 to at RCPT.</param>
internal sealed record SmtpReceiverSetup(
    string? CertPem = null,
    string? KeyPem = null,
    bool ImplicitTls = false,
    bool OfferStartTls = false,
    IReadOnlyDictionary<string, string>? Users = null,
    IReadOnlyList<string>? RefuseRecipients = null)
{
    public string? ToolFolder { get; init; }
}

/// <summary>A message as the server received it.</summary>
internal sealed record ReceivedMail(
    string MailFrom,
    IReadOnlyList<string> RcptTo,
    string? User,
    bool Secure,
    IReadOnlyList<ReceivedHeader> Headers,
    string? Subject,
    string? MessageId,
    string? Text,
    string? Html,
    IReadOnlyList<ReceivedAttachment> Attachments)
{
    /// <summary>The value of the first header of that name (unfolded), or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) is { } header
            ? header.Line[(header.Line.IndexOf(':', StringComparison.Ordinal) + 1)..].Replace("\r\n", string.Empty, StringComparison.Ordinal).Trim()
            : null;
}

internal sealed record ReceivedHeader(string Key, string Line);

/// <param name="DeclaredType">The part's Content-Type as sent (<paramref name="ContentType"/> is mailparser's guess from the file name for application/octet-stream).</param>
internal sealed record ReceivedAttachment(string? Filename, string ContentType, string Base64, string? DeclaredType = null)
{
    public byte[] Bytes => Convert.FromBase64String(Base64);
}
