using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Operators.Builtin.Mail;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Tests.Support.Smtp;

namespace BatchOrchestrator.Engine.Tests.Operators;

/// <summary>
/// mail&gt; over TLS to a real SMTP server (npm's smtp-server) with a certificate made for the
/// test: implicit TLS (<c>ssl: true</c>, SMTPS), STARTTLS (<c>tls: true</c>), logins over both, and
/// the certificate checks (its CA must be trusted and it must name the host).
/// </summary>
[TestClass]
public sealed class MailOperatorTlsTests
{
    private const string Password = "relay-Secret-42";

    private static readonly TaskLogKey Log = new("p", "wf", "2026-11-21", "a1", "+wf+mail", 1);

    private readonly MemoryLogStore _logs = new();

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Ssl_true_speaks_tls_from_the_first_byte_and_logs_in_over_it()
    {
        using var certificate = new MailServerCertificate("localhost", "127.0.0.1");
        await using var smtp = await StartAsync(new SmtpReceiverSetup(certificate.CertPem, certificate.KeyPem, ImplicitTls: true, Users: Login));

        await Operator(certificate.Ca).RunAsync(Request(smtp, """{"ssl": true, "html": true, "attach_files": [{"path": "data.bin"}]}""", "<b>bold</b>"), TestContext.CancellationToken);

        var mail = await smtp.NextAsync();
        Assert.IsTrue(mail.Secure, "the session was encrypted");
        Assert.AreEqual("relay", mail.User);
        Assert.AreEqual("<b>bold</b>", mail.Html?.TrimEnd());
        var attachment = mail.Attachments.Single();
        Assert.AreEqual("data.bin", attachment.Filename);
        Assert.AreEqual("application/octet-stream", attachment.ContentType);
        CollectionAssert.AreEqual(AttachmentBytes, attachment.Bytes);
        StringAssert.Contains(_logs.Text(Log), $"> SMTP 127.0.0.1:{smtp.Port} (TLS) as relay:");
    }

    [TestMethod]
    public async Task Tls_true_upgrades_with_starttls_before_logging_in()
    {
        using var certificate = new MailServerCertificate("localhost", "127.0.0.1");
        await using var smtp = await StartAsync(new SmtpReceiverSetup(certificate.CertPem, certificate.KeyPem, OfferStartTls: true, Users: Login));

        // tls: true is the default, as in Digdag.
        await Operator(certificate.Ca).RunAsync(Request(smtp, "{}", "plain text"), TestContext.CancellationToken);

        var mail = await smtp.NextAsync();
        Assert.IsTrue(mail.Secure, "STARTTLS upgraded the session before AUTH and MAIL");
        Assert.AreEqual("relay", mail.User);
        Assert.AreEqual("plain text", mail.Text?.TrimEnd());
        StringAssert.Contains(_logs.Text(Log), "(STARTTLS when offered) as relay:");
    }

    [TestMethod]
    public async Task A_certificate_that_does_not_name_the_host_is_refused_before_anything_is_sent()
    {
        using var certificate = new MailServerCertificate("mail.internal");
        await using var smtp = await StartAsync(new SmtpReceiverSetup(certificate.CertPem, certificate.KeyPem, ImplicitTls: true, Users: Login));

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => Operator(certificate.Ca).RunAsync(Request(smtp, """{"ssl": true}""", "hi"), TestContext.CancellationToken));

        TestContext.WriteLine(failure.Message);
        Assert.IsFalse(failure.Retryable);
        StringAssert.Contains(failure.Message, $"mail>: sending through 127.0.0.1:{smtp.Port} failed:");
        StringAssert.Contains(failure.Message, "did not match the name given in the server's SSL certificate (mail.internal)");
        Assert.DoesNotContain(Password, failure.Message);
        Assert.IsEmpty(smtp.Pending());
    }

    [TestMethod]
    public async Task A_certificate_from_a_ca_nobody_trusts_is_refused()
    {
        using var certificate = new MailServerCertificate("localhost", "127.0.0.1");
        await using var smtp = await StartAsync(new SmtpReceiverSetup(certificate.CertPem, certificate.KeyPem, OfferStartTls: true, Users: Login));

        // The system's roots only: the test CA is not among them.
        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => new MailOperator(_logs).RunAsync(Request(smtp, "{}", "hi"), TestContext.CancellationToken));

        TestContext.WriteLine(failure.Message);
        Assert.IsFalse(failure.Retryable);
        StringAssert.Contains(failure.Message, "The server's SSL certificate could not be validated");
        Assert.IsEmpty(smtp.Pending());
    }

    [TestMethod]
    public async Task Ssl_true_against_a_server_without_implicit_tls_fails_with_a_hint_about_the_port()
    {
        using var certificate = new MailServerCertificate("localhost", "127.0.0.1");
        await using var smtp = await StartAsync(new SmtpReceiverSetup(certificate.CertPem, certificate.KeyPem, OfferStartTls: true));

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => Operator(certificate.Ca).RunAsync(Request(smtp, """{"ssl": true}""", "hi", login: false), TestContext.CancellationToken));

        TestContext.WriteLine(failure.Message);
        Assert.IsFalse(failure.Retryable);
        StringAssert.Contains(failure.Message, "no TLS handshake");
        StringAssert.Contains(failure.Message, "ssl: true speaks TLS from the first byte");
        Assert.IsEmpty(smtp.Pending());
    }

    private static readonly byte[] AttachmentBytes = [0, 1, 2, 254, 255, .. Encoding.UTF8.GetBytes("bytes\r\n.\r\n")];

    private static IReadOnlyDictionary<string, string> Login => new Dictionary<string, string> { ["relay"] = Password };

    private Task<SmtpReceiver> StartAsync(SmtpReceiverSetup setup) => SmtpReceiver.StartAsync(setup, TestContext.CancellationToken);

    private MailOperator Operator(X509Certificate2 ca) => new(_logs, trust: new MailServerTrust([ca]));

    /// <summary>A try of <c>mail&gt;: {data: body}</c> to the server, logging in as relay from the secrets unless <paramref name="login"/> is false.</summary>
    private TaskRequest Request(SmtpReceiver smtp, string options, string body, bool login = true)
    {
        var folder = Directory.CreateTempSubdirectory("bo-mail-").FullName;
        File.WriteAllBytes(Path.Combine(folder, "data.bin"), AttachmentBytes);
        var config = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(options)!;
        config["host"] = JsonSerializer.SerializeToElement("127.0.0.1");
        config["port"] = JsonSerializer.SerializeToElement(smtp.Port);
        config["subject"] = JsonSerializer.SerializeToElement("over TLS");
        config["from"] = JsonSerializer.SerializeToElement("batch@example.com");
        config["to"] = JsonSerializer.SerializeToElement("me@example.com");
        var secrets = login ? new Dictionary<string, string> { ["mail.username"] = "relay", ["mail.password"] = Password } : [];
        return new TaskRequest
        {
            AttemptId = "a1",
            TaskName = "+wf+mail",
            Try = 1,
            OperatorName = MailOperator.OperatorName,
            Command = JsonSerializer.SerializeToElement(new { data = body }),
            Config = JsonSerializer.SerializeToElement(config),
            Params = JsonSerializer.SerializeToElement(secrets),
            WorkingDirectory = folder,
            Log = Log,
        };
    }
}
