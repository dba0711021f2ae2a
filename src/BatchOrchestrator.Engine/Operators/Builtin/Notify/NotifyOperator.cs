using BatchOrchestrator.Language.Operators;
using System.Text.Json;
using BatchOrchestrator.Engine.Operators.Builtin.Http;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Operators.Builtin.Notify;

/// <summary>
/// <c>notify&gt;: message</c> — posts a message to Slack and Teams incoming webhooks and generic
/// HTTP endpoints (<c>slack</c>, <c>teams</c>, <c>webhook</c> options, each one URL or a list;
/// usually set once for the project in <c>_export: notify:</c>). The engine uses the same operator
/// for its own notifications (a failed or finished attempt, a missed SLA), which it passes in
/// <see cref="NotificationKey"/>. A try posts to every target, even when an earlier one failed, and
/// fails if any did. See docs/notifications.md.
/// </summary>
/// <remarks>
/// Runs at least once per try, so a webhook may see a message twice after a crash; generic
/// webhooks get an <c>Idempotency-Key</c> header, the same for every repetition, to drop it.
/// </remarks>
public sealed class NotifyOperator(HttpClient client, ILogStore logs, HttpRetryPolicy? retryPolicy = null) : IOperator
{
    public static OperatorDescription Description { get; } = new("notify", "posts a notification to Slack, Teams or a webhook")
    {
        Options =
        [
            new("slack", OptionType.Targets), new("teams", OptionType.Targets), new("webhook", OptionType.Targets),
            new("title", OptionType.String), new("events", OptionType.StringOrList, Values: ["failure", "success"]),
        ],
    };

    public const string OperatorName = "notify";

    /// <summary>The config key under which the engine passes a notification it composed (reserved: users cannot write <c>_</c> keys).</summary>
    public const string NotificationKey = "_notification";

    /// <summary>How long one request may take unless <c>timeout</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpRetryPolicy _policy = retryPolicy ?? HttpRetryPolicy.Default;

    public string Name => OperatorName;

    public async Task<TaskResult> RunAsync(TaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reader = new OptionReader(request, OperatorName);
        var targets = NotificationTargets.Read(reader);
        var notification = Compose(request, reader);
        if (targets.Count == 0)
        {
            await LogAsync(request, $"{notification.Title}: {notification.Text}\n(no notification targets: set slack, teams or webhook, e.g. in _export: notify:)", cancellationToken);
            return TaskResult.Empty;
        }

        var sender = new WebhookSender(client, _policy, reader.Duration("timeout") ?? DefaultTimeout);
        var idempotencyKey = $"{request.AttemptId}/{request.TaskName}/{request.Try}";
        var failures = new List<TaskFailure>();
        foreach (var target in targets)
        {
            try
            {
                await sender.SendAsync(target, NotificationPayloads.For(target.Channel, notification, idempotencyKey), idempotencyKey, line => LogAsync(request, line, cancellationToken), cancellationToken);
            }
            catch (TaskFailure failure)
            {
                failures.Add(failure);
            }
        }

        return failures.Count switch
        {
            0 => TaskResult.Empty,
            1 => throw failures[0],
            _ => throw new TaskFailure(string.Join("; ", failures.Select(f => f.Message)), failures.Any(f => f.Retryable)),
        };
    }

    private static Notification Compose(TaskRequest request, OptionReader reader)
    {
        if (request.Config.ValueKind == JsonValueKind.Object && request.Config.TryGetProperty(NotificationKey, out var composed))
        {
            return composed.Deserialize(NotificationJson) ?? throw new TaskFailure("notify>: empty notification", retryable: false);
        }

        var text = request.Command.ValueKind switch
        {
            JsonValueKind.String => request.Command.GetString()!,
            JsonValueKind.Undefined or JsonValueKind.Null => string.Empty,
            _ => request.Command.GetRawText(),
        };
        var title = reader.String("title") ?? $"{Param(request, "project_name")}/{Param(request, "workflow_name")}";
        List<KeyValuePair<string, string>> facts = [];
        foreach (var (name, param) in new[] { ("Session", "session_time"), ("Attempt", "attempt_id"), ("Task", "task_name") })
        {
            if (Param(request, param) is { Length: > 0 } value)
            {
                facts.Add(KeyValuePair.Create(name, value));
            }
        }

        return new Notification(Notification.MessageEvent, title, text, facts);
    }

    private static string Param(TaskRequest request, string name) =>
        request.Params.ValueKind == JsonValueKind.Object && request.Params.TryGetProperty(name, out var value)
            ? OptionReader.Scalar(value) ?? value.GetRawText()
            : string.Empty;

    private Task LogAsync(TaskRequest request, string line, CancellationToken cancellationToken) =>
        logs.AppendAsync(request.Log, line + "\n", cancellationToken);

    /// <summary>A notification as JSON (web defaults, compile-time metadata).</summary>
    internal static System.Text.Json.Serialization.Metadata.JsonTypeInfo<Notification> NotificationJson => Orchestration.EngineJsonContext.Default.Notification;
}
