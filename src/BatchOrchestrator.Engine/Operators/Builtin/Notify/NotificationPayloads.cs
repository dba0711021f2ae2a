using System.Text.Json.Nodes;

namespace BatchOrchestrator.Engine.Operators.Builtin.Notify;

/// <summary>
/// The JSON each channel expects. Slack and Teams render what they get, so the text is made to
/// read well there; a generic webhook gets the fields as data.
/// </summary>
public static class NotificationPayloads
{
    public static JsonObject For(NotificationChannel channel, Notification notification, string idempotencyKey) => channel switch
    {
        NotificationChannel.Slack => Slack(notification),
        NotificationChannel.Teams => Teams(notification),
        _ => Webhook(notification, idempotencyKey),
    };

    /// <summary>
    /// A Slack incoming-webhook message: <c>text</c> is what notifications and old clients show;
    /// <c>blocks</c> lay out the title, the message and the facts.
    /// </summary>
    public static JsonObject Slack(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var blocks = new JsonArray
        {
            (JsonNode)new JsonObject { ["type"] = "header", ["text"] = PlainText(Cut(notification.Title, 150)) },
        };
        if (notification.Text.Length > 0)
        {
            blocks.Add((JsonNode)new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(notification.Text, 3000) } });
        }

        if (notification.Facts.Count > 0)
        {
            var fields = new JsonArray();
            foreach (var (name, value) in notification.Facts.Take(10))
            {
                fields.Add((JsonNode)new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut($"*{name}*\n{value}", 2000) });
            }

            blocks.Add((JsonNode)new JsonObject { ["type"] = "section", ["fields"] = fields });
        }

        return new JsonObject
        {
            ["text"] = notification.Text.Length > 0 ? $"{notification.Title}: {notification.Text}" : notification.Title,
            ["blocks"] = blocks,
        };
    }

    /// <summary>
    /// A Teams incoming-webhook message carrying one Adaptive Card (the format both the classic
    /// connector and the Workflows webhook accept): a bold title, the message, the facts.
    /// </summary>
    public static JsonObject Teams(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var body = new JsonArray
        {
            (JsonNode)new JsonObject { ["type"] = "TextBlock", ["text"] = notification.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
        };
        if (notification.Text.Length > 0)
        {
            body.Add((JsonNode)new JsonObject { ["type"] = "TextBlock", ["text"] = notification.Text, ["wrap"] = true });
        }

        if (notification.Facts.Count > 0)
        {
            var facts = new JsonArray();
            foreach (var (name, value) in notification.Facts)
            {
                facts.Add((JsonNode)new JsonObject { ["title"] = name, ["value"] = value });
            }

            body.Add((JsonNode)new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                (JsonNode)new JsonObject
                {
                    ["contentType"] = "application/vnd.microsoft.card.adaptive",
                    ["contentUrl"] = null,
                    ["content"] = new JsonObject
                    {
                        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                        ["type"] = "AdaptiveCard",
                        ["version"] = "1.4",
                        ["body"] = body,
                    },
                },
            },
        };
    }

    /// <summary>A generic webhook's body: the notification's fields, facts as an object keyed by snake_case names.</summary>
    public static JsonObject Webhook(Notification notification, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var facts = new JsonObject();
        foreach (var (name, value) in notification.Facts)
        {
            facts[name.ToLowerInvariant().Replace(' ', '_')] = value;
        }

        return new JsonObject
        {
            ["event"] = notification.Event,
            ["title"] = notification.Title,
            ["text"] = notification.Text,
            ["facts"] = facts,
            ["id"] = idempotencyKey,
        };
    }

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    /// <summary>Slack rejects blocks over its limits (a 400): long text is cut instead.</summary>
    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
