using System.Text.Json;

namespace BatchOrchestrator.Engine.Operators.Builtin.Notify;

/// <summary>Reads <c>slack</c>, <c>teams</c> and <c>webhook</c> (from the task, else from <c>_export: notify:</c>).</summary>
internal static class NotificationTargets
{
    public static IReadOnlyList<NotificationTarget> Read(OptionReader reader)
    {
        List<NotificationTarget> targets = [];
        foreach (var channel in Enum.GetValues<NotificationChannel>())
        {
            var option = channel.ToString().ToLowerInvariant();
            switch (reader.Find(option))
            {
                case null:
                    break;
                case { ValueKind: JsonValueKind.Array } list:
                    targets.AddRange(list.EnumerateArray().Select(item => Target(reader, channel, option, item)));
                    break;
                case { } single:
                    targets.Add(Target(reader, channel, option, single));
                    break;
            }
        }

        return targets;
    }

    /// <summary>A URL, or (webhook) <c>{url, headers}</c>.</summary>
    private static NotificationTarget Target(OptionReader reader, NotificationChannel channel, string option, JsonElement value)
    {
        IReadOnlyList<KeyValuePair<string, string>> headers = [];
        var url = value;
        if (value.ValueKind == JsonValueKind.Object && channel == NotificationChannel.Webhook)
        {
            if (!value.TryGetProperty("url", out url))
            {
                throw reader.Invalid(option, "a URL, or a mapping with url and headers", "a mapping without url");
            }

            if (value.TryGetProperty("headers", out var given))
            {
                headers = given.ValueKind == JsonValueKind.Object
                    ? [.. given.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, OptionReader.Scalar(p.Value) ?? p.Value.GetRawText()))]
                    : throw reader.Invalid(option + ".headers", "a mapping of header names to values");
            }
        }

        // The URL is usually a secret (it carries the webhook's token), so it is never quoted back.
        if (url.ValueKind != JsonValueKind.String || !Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw reader.Invalid(option, channel == NotificationChannel.Webhook ? "an http(s) URL, or a mapping with url and headers" : "an https URL of an incoming webhook (or a list of them)");
        }

        return new NotificationTarget(channel, uri, headers);
    }
}
