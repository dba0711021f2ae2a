using System.Text;
using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Tests.Support.Smtp;

namespace BatchOrchestrator.Engine.Tests.Operations;

/// <summary>mail&gt; through whole workflows, delivering to a real SMTP server (npm's smtp-server).</summary>
[TestClass]
public sealed class MailTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_templated_body_file_reaches_every_recipient_with_its_headers_and_attachment()
    {
        await using var smtp = await SmtpReceiver.StartAsync(new SmtpReceiverSetup(), TestContext.CancellationToken);
        await using var engine = await OperationsEngine.StartAsync();
        engine.Write("body.txt", "Report for ${session_date}: ${rows} rows.\n.leading dot survives\n");
        engine.Write("out/report.csv", "id,value\n1,42\n");
        engine.Write("report.dig", $$"""
            _export:
              mail:
                host: 127.0.0.1
                port: {{smtp.Port}}
                tls: false
                from: batch@example.com
            +send:
              mail>: body.txt
              rows: 42
              subject: Daily report ${session_date}
              to: [analyst@example.com, lead@example.com]
              cc: ops@example.com
              bcc: [audit@example.com]
              attach_files:
                - path: out/report.csv
                  filename: report-${session_date_compact}.csv
                  content_type: text/csv
            """);

        var run = await engine.RunAsync("report");

        Assert.IsTrue(run.Succeeded, run.Describe() + smtp.Output);
        var mail = await smtp.NextAsync();
        Assert.AreEqual("batch@example.com", mail.MailFrom);
        CollectionAssert.AreEquivalent(new[] { "analyst@example.com", "lead@example.com", "ops@example.com", "audit@example.com" }, mail.RcptTo.ToArray());
        Assert.AreEqual("Daily report 2026-11-21", mail.Subject);
        Assert.AreEqual("analyst@example.com, lead@example.com", mail.Header("To"));
        Assert.AreEqual("ops@example.com", mail.Header("Cc"));
        Assert.IsNull(mail.Header("Bcc"), "Bcc recipients are in the envelope only");
        StringAssert.EndsWith(mail.MessageId, "@batchorchestrator>");
        Assert.IsFalse(mail.Secure);
        Assert.IsNull(mail.User);
        Assert.AreEqual("Report for 2026-11-21: 42 rows.\n.leading dot survives\n", mail.Text?.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.IsNull(mail.Html);
        var attachment = mail.Attachments.Single();
        Assert.AreEqual("text/csv", attachment.ContentType);
        Assert.AreEqual("report-20261121.csv", attachment.Filename);
        Assert.AreEqual("id,value\n1,42\n", Encoding.UTF8.GetString(attachment.Bytes));
        var log = await engine.LogAsync(run, "+report+send");
        StringAssert.Contains(log, $"> SMTP 127.0.0.1:{smtp.Port}: \"Daily report 2026-11-21\" from batch@example.com to analyst@example.com, lead@example.com, ops@example.com, audit@example.com, 1 attachment(s)");
        StringAssert.Contains(log, "< accepted: ");
    }

    [TestMethod]
    public async Task Inline_html_data_is_sent_with_the_login_from_secrets_and_the_password_stays_out_of_the_log()
    {
        const string password = "smtp-Pa55word-77";
        await using var smtp = await SmtpReceiver.StartAsync(new SmtpReceiverSetup(Users: new Dictionary<string, string> { ["mailer"] = password }), TestContext.CancellationToken);
        await using var engine = await OperationsEngine.StartAsync();
        await engine.Secrets.SetAsync("project", "mail.username", "mailer", CancellationToken.None);
        await engine.Secrets.SetAsync("project", "mail.password", password, CancellationToken.None);
        engine.Write("html.dig", $$"""
            +send:
              mail>:
                data: <h1>Done</h1><p>${session_date}</p>
              html: true
              subject: html
              to: me@example.com, "Second Reader" <second@example.com>
              from: Batch <batch@example.com>
              host: 127.0.0.1
              port: {{smtp.Port}}
              tls: false
            """);

        var run = await engine.RunAsync("html");

        Assert.IsTrue(run.Succeeded, run.Describe() + smtp.Output);
        var mail = await smtp.NextAsync();
        Assert.AreEqual("mailer", mail.User);
        Assert.AreEqual("<h1>Done</h1><p>2026-11-21</p>", mail.Html?.TrimEnd());
        Assert.AreEqual("Batch <batch@example.com>", mail.Header("From"));
        CollectionAssert.AreEqual(new[] { "me@example.com", "second@example.com" }, mail.RcptTo.ToArray());
        Assert.DoesNotContain(password, engine.StateText());
    }

    [TestMethod]
    public async Task A_rejected_login_fails_the_task_without_retrying_and_says_which_server()
    {
        await using var smtp = await SmtpReceiver.StartAsync(new SmtpReceiverSetup(Users: new Dictionary<string, string> { ["mailer"] = "right" }), TestContext.CancellationToken);
        await using var engine = await OperationsEngine.StartAsync();
        await engine.Secrets.SetAsync("project", "mail.username", "mailer", CancellationToken.None);
        await engine.Secrets.SetAsync("project", "mail.password", "wrong", CancellationToken.None);
        engine.Write("denied.dig", RetriedMail(smtp, "me@example.com"));

        var run = await engine.RunAsync("denied");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual(1, run.Task("+denied+send").Tries);
        var error = run.Outcome.Errors.Single().Message;
        StringAssert.Contains(error, $"mail>: sending through 127.0.0.1:{smtp.Port} failed: the server refused the login (535");
        StringAssert.Contains(error, "mail.password");
        Assert.IsEmpty(smtp.Pending());
    }

    [TestMethod]
    public async Task A_refused_recipient_fails_the_task_without_retrying_and_names_the_address()
    {
        await using var smtp = await SmtpReceiver.StartAsync(new SmtpReceiverSetup(RefuseRecipients: ["gone@example.com"]), TestContext.CancellationToken);
        await using var engine = await OperationsEngine.StartAsync();
        engine.Write("refused.dig", RetriedMail(smtp, "[me@example.com, gone@example.com]"));

        var run = await engine.RunAsync("refused");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual(1, run.Task("+refused+send").Tries);
        StringAssert.Contains(run.Outcome.Errors.Single().Message, "the server refused the recipient gone@example.com: 550");
        Assert.IsEmpty(smtp.Pending());
    }

    /// <summary>A one-task workflow that mails "hi" in clear text, with _retry: 3 (which a refusal must not use).</summary>
    private static string RetriedMail(SmtpReceiver smtp, string to) => $$"""
        +send:
          mail>: {data: hi}
          _retry: 3
          subject: s
          to: {{to}}
          from: batch@example.com
          host: 127.0.0.1
          port: {{smtp.Port}}
          tls: false
        """;
}
