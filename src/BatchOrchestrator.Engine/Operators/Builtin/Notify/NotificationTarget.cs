namespace BatchOrchestrator.Engine.Operators.Builtin.Notify;

/// <summary>Where a notification goes, which decides its payload's shape.</summary>
public enum NotificationChannel
{
    /// <summary>A Slack incoming webhook: <c>{"text": ..., "blocks": [...]}</c>.</summary>
    Slack,

    /// <summary>A Microsoft Teams incoming webhook (or Workflows webhook): a message with an Adaptive Card.</summary>
    Teams,

    /// <summary>Any HTTP endpoint: the notification as a JSON object.</summary>
    Webhook,
}

/// <summary>One webhook to post a notification to.</summary>
public sealed record NotificationTarget(NotificationChannel Channel, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>The option that names this kind of target (<c>slack</c>, <c>teams</c>, <c>webhook</c>).</summary>
    public string OptionName => Channel.ToString().ToLowerInvariant();
}
