using BatchOrchestrator.Engine.Tests.Support;
using BatchOrchestrator.Engine.Tests.Support.Smtp;

namespace BatchOrchestrator.Engine.Tests.DigdagDocs;

/// <summary>
/// The examples of Digdag's <c>mail&gt;</c> page (digdag-docs/src/operators/mail.md), as workflows
/// of our own sent to a real SMTP server (npm's smtp-server on loopback) and checked against what
/// the page says arrives. The server is set the way the page says a user sets it: the secrets
/// <c>mail.host</c> and <c>mail.port</c>, or the <c>host</c>/<c>port</c> options.
/// </summary>
[TestClass]
public sealed class MailPageTests
{
    public TestContext TestContext { get; set; } = null!;

    /// <summary>
    /// mail.md's workflow: a body from a template file with cc, a body written in the .dig with
    /// bcc (sent to, but not named in the message), and a mail from the <c>_error</c> task of a
    /// task that fails; <c>from</c> comes from <c>_export: mail:</c>.
    /// </summary>
    [TestMethod]
    public async Task The_page_workflow_sends_its_three_mails()
    {
        await using var smtp = await SmtpReceiver.StartAsync(new SmtpReceiverSetup(), TestContext.CancellationToken);
        await using var project = await WorkflowProject.StartAsync();
        await SetServerSecretsAsync(project, smtp);
        project.Write("body.txt", "session ${session_date}\n");
        project.Write("mail.dig", """
            _export:
              mail:
                from: "you@gmail.com"

            +step1:
              mail>: body.txt
              subject: workflow started
              to: [me@example.com]
              cc: [foo@example.com,bar@example.com]

            +step2:
              mail>:
                data: this is email body embedded in a .dig file
              subject: workflow started
              to: [me@example.com]
              bcc: [foo@example.com,bar@example.com]

            +step3:
              sh>: this_task_might_fail.sh
              _error:
                mail>: body.txt
                subject: this workflow failed
                to: [me@example.com]
            """);

        var run = await project.RunAsync("mail");

        Assert.IsFalse(run.Succeeded, "+step3 fails");
        var first = await smtp.NextAsync();
        Assert.AreEqual("you@gmail.com", first.MailFrom);
        CollectionAssert.AreEquivalent(new[] { "me@example.com", "foo@example.com", "bar@example.com" }, first.RcptTo.ToArray());
        Assert.AreEqual("workflow started", first.Subject);
        StringAssert.Contains(first.Header("cc"), "foo@example.com");
        StringAssert.Contains(first.Header("cc"), "bar@example.com");
        Assert.AreEqual("session 2026-11-21", first.Text?.TrimEnd(), "the body file is a template");

        var second = await smtp.NextAsync();
        CollectionAssert.AreEquivalent(new[] { "me@example.com", "foo@example.com", "bar@example.com" }, second.RcptTo.ToArray());
        Assert.IsNull(second.Header("bcc"), "bcc addresses get the mail without being named in it");
        Assert.IsNull(second.Header("cc"));
        Assert.AreEqual("this is email body embedded in a .dig file", second.Text?.TrimEnd());

        var failed = await smtp.NextAsync();
        Assert.AreEqual("this workflow failed", failed.Subject);
        CollectionAssert.AreEqual(new[] { "me@example.com" }, failed.RcptTo.ToArray());
        Assert.AreEqual("session 2026-11-21", failed.Text?.TrimEnd());
        Assert.IsEmpty(smtp.Pending());
    }

    /// <summary>
    /// The option examples of mail.md: <c>{data: ...}</c> as the body, <c>from</c>, <c>html</c>,
    /// <c>attach_files</c> (a default name and type, a <c>filename</c>, a <c>content_type</c>),
    /// <c>host</c>/<c>port</c>/<c>username</c> with the password from the secret
    /// <c>mail.password</c>, and <c>tls</c>/<c>ssl</c>/<c>debug</c> at their documented values.
    /// </summary>
    [TestMethod]
    public async Task The_page_options_shape_the_message_and_the_connection()
    {
        await using var smtp = await SmtpReceiver.StartAsync(new SmtpReceiverSetup(Users: new Dictionary<string, string> { ["me"] = "MyPaSsWoRd" }), TestContext.CancellationToken);
        await using var project = await WorkflowProject.StartAsync();
        await project.Engine!.Secrets.SetAsync(ProjectName(project), "mail.password", "MyPaSsWoRd", TestContext.CancellationToken);
        project.Write("data.csv", "a,b\n1,2\n");
        project.Write("output.dat", "result");
        project.Write("images/image1.png", "not really a png");
        project.Write("options.dig", $$"""
            +send:
              mail>: {data: "Hello, this is from <b>Digdag</b>"}
              subject: Mail From Digdag
              to: [analyst@examile.com]
              from: admin@example.com
              host: 127.0.0.1
              port: {{smtp.Port}}
              username: me
              tls: true
              ssl: false
              html: true
              debug: false
              attach_files:
                - path: data.csv
                - path: output.dat
                  filename: workflow_result_data.csv
                - path: images/image1.png
                  content_type: image/png
            """);

        var run = await project.RunAsync("options");

        Assert.IsTrue(run.Succeeded, run.Describe());
        var mail = await smtp.NextAsync();
        Assert.AreEqual("me", mail.User, "logged in as username with the secret password");
        Assert.AreEqual("admin@example.com", mail.MailFrom);
        Assert.AreEqual("Mail From Digdag", mail.Subject);
        Assert.AreEqual("Hello, this is from <b>Digdag</b>", mail.Html?.TrimEnd());
        var attachments = mail.Attachments.Select(a => (a.Filename, a.DeclaredType)).ToList();
        CollectionAssert.AreEqual(
            new[] { ("data.csv", "application/octet-stream"), ("workflow_result_data.csv", "application/octet-stream"), ("image1.png", "image/png") },
            attachments);
        Assert.AreEqual("result", System.Text.Encoding.UTF8.GetString(mail.Attachments[1].Bytes));
    }

    private async Task SetServerSecretsAsync(WorkflowProject project, SmtpReceiver smtp)
    {
        await project.Engine!.Secrets.SetAsync(ProjectName(project), "mail.host", "127.0.0.1", TestContext.CancellationToken);
        await project.Engine.Secrets.SetAsync(ProjectName(project), "mail.port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), TestContext.CancellationToken);
    }

    private static string ProjectName(WorkflowProject project) => new DirectoryInfo(project.Directory_).Name;
}
