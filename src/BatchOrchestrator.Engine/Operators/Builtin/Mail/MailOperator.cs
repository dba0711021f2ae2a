using System.Globalization;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Language.Operators;
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
/// Sent with MailKit: <c>ssl: true</c> is implicit TLS (SMTPS, usually port 465); <c>tls: true</c>
/// (the default) upgrades with STARTTLS when the server offers it; a user set means a login. The
/// server's certificate must name the host and be trusted (see <see cref="MailServerTrust"/>).
/// Runs at least once per try: after a crash a message may be sent again, with the same
/// <c>Message-ID</c>, which lets a mail system drop the copy.
/// </remarks>
/// <param name="logs">The task logs (what was sent to whom, and the server's answer).</param>
/// <param name="templates">Renders a body file with the task's params.</param>
/// <param name="trust">Roots trusted besides the system's; none by default.</param>
public sealed class MailOperator(ILogStore logs, TemplateEngine? templates = null, MailServerTrust? trust = null) : IOperator, ISecretConsumer
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

    private readonly MailMessageBuilder _messages = new(templates ?? new TemplateEngine());
    private readonly SmtpSender _sender = new(trust?.Callback);

    public string Name => OperatorName;

    public IReadOnlyList<string> SecretKeys { get; } = ["mail.host", "mail.port", "mail.username", "mail.password", "mail.tls", "mail.ssl"];

    public async Task<TaskResult> RunAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reader = new OptionReader(request, OperatorName);
        var server = MailServer.Read(request, reader);
        using var message = await _messages.BuildAsync(request, reader, cancellationToken);
        var attachments = message.Attachments.Count();
        await LogAsync(
            request,
            $"> SMTP {server.Endpoint}{server.SecurityText}{(server.Username is null ? string.Empty : $" as {server.Username}")}: \"{message.Subject}\" from {message.From} to " +
            $"{string.Join(", ", message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes).Select(m => m.Address))}" +
            (attachments > 0 ? $", {attachments.ToString(CultureInfo.InvariantCulture)} attachment(s)" : string.Empty),
            cancellationToken);
        var answer = await _sender.SendAsync(server, message, cancellationToken);
        await LogAsync(request, $"< accepted: {answer.Trim()}", cancellationToken);
        return TaskResult.Empty;
    }

    private Task LogAsync(TaskRequest request, string line, CancellationToken cancellationToken) =>
        logs.AppendAsync(request.Log, line + "\n", cancellationToken);
}
