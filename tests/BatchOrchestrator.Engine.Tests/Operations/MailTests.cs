using System.Text;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Operations;

/// <summary>mail&gt; through whole workflows, delivering to a local SMTP receiver.</summary>
[TestClass]
public sealed class MailTests
{
    [TestMethod]
    public async Task A_templated_body_file_reaches_every_recipient_with_its_headers_and_attachment()
    {
        await using var smtp = TestSmtpServer.Start();
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

        Assert.IsTrue(run.Succeeded, run.Describe());
        var mail = smtp.Messages.Single();
        Assert.AreEqual("batch@example.com", mail.From);
        CollectionAssert.AreEquivalent(new[] { "analyst@example.com", "lead@example.com", "ops@example.com", "audit@example.com" }, mail.Recipients.ToArray());
        Assert.AreEqual("Daily report 2026-11-21", mail.Header("Subject"));
        StringAssert.Contains(mail.Header("To"), "analyst@example.com");
        StringAssert.Contains(mail.Header("Cc"), "ops@example.com");
        Assert.IsNull(mail.Header("Bcc"), "Bcc recipients are in the envelope only");
        StringAssert.EndsWith(mail.Header("Message-ID"), "@batchorchestrator>");
        var parts = mail.Parts;
        StringAssert.StartsWith(parts[0].ContentType, "text/plain");
        Assert.AreEqual("Report for 2026-11-21: 42 rows.\r\n.leading dot survives\r\n", parts[0].Text.Replace("\r\n", "\n").Replace("\n", "\r\n"));
        var attachment = parts[1];
        StringAssert.StartsWith(attachment.ContentType, "text/csv");
        Assert.AreEqual("report-20261121.csv", attachment.Parameter("Content-Disposition", "filename"));
        Assert.AreEqual("id,value\n1,42\n", Encoding.UTF8.GetString(attachment.Bytes));
    }

    [TestMethod]
    public async Task Inline_html_data_is_sent_with_the_login_from_secrets_and_the_password_stays_out_of_the_log()
    {
        const string password = "smtp-Pa55word-77";
        await using var smtp = TestSmtpServer.Start(("mailer", password));
        await using var engine = await OperationsEngine.StartAsync();
        await engine.Secrets.SetAsync("project", "mail.username", "mailer", CancellationToken.None);
        await engine.Secrets.SetAsync("project", "mail.password", password, CancellationToken.None);
        engine.Write("html.dig", $$"""
            +send:
              mail>:
                data: <h1>Done</h1>
              html: true
              subject: html
              to: me@example.com
              from: batch@example.com
              host: 127.0.0.1
              port: {{smtp.Port}}
              tls: false
            """);

        var run = await engine.RunAsync("html");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var mail = smtp.Messages.Single();
        Assert.AreEqual("mailer", mail.AuthenticatedUser);
        StringAssert.StartsWith(mail.Parts[0].ContentType, "text/html");
        Assert.AreEqual("<h1>Done</h1>", mail.Parts[0].Text);
        Assert.DoesNotContain(password, engine.StateText());
    }

    [TestMethod]
    public async Task A_rejected_login_fails_the_task_without_retrying_and_says_which_server()
    {
        await using var smtp = TestSmtpServer.Start(("mailer", "right"));
        await using var engine = await OperationsEngine.StartAsync();
        await engine.Secrets.SetAsync("project", "mail.username", "mailer", CancellationToken.None);
        await engine.Secrets.SetAsync("project", "mail.password", "wrong", CancellationToken.None);
        engine.Write("denied.dig", $$"""
            +send:
              mail>: {data: hi}
              _retry: 3
              subject: s
              to: me@example.com
              from: batch@example.com
              host: 127.0.0.1
              port: {{smtp.Port}}
              tls: false
            """);

        var run = await engine.RunAsync("denied");

        Assert.IsFalse(run.Succeeded);
        Assert.AreEqual(1, run.Task("+denied+send").Tries);
        StringAssert.Contains(run.Outcome.Errors.Single().Message, $"mail>: sending through 127.0.0.1:{smtp.Port} failed");
        Assert.IsEmpty(smtp.Messages);
    }
}
