using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Language.Parsing;

/// <summary>Parses the value of <c>_parallel</c>, <c>_retry</c> and <c>_after</c>.</summary>
internal sealed class ControlKeyParser(ValueReader reader)
{
    public ParallelSetting? Parallel(ConfigNode node)
    {
        if (node is ScalarNode scalar)
        {
            if (scalar.TryGetBoolean(out var enabled))
            {
                return new ParallelSetting(enabled, null, null);
            }

            if (ValueReader.Template(node) is { } template)
            {
                return new ParallelSetting(true, null, template);
            }
        }
        else if (node is MappingNode mapping)
        {
            int? limit = null;
            foreach (var entry in mapping.Entries)
            {
                if (entry.Name == "limit")
                {
                    limit = reader.Integer("_parallel.limit", entry.Value, 1);
                }
                else
                {
                    reader.Diagnostics.Error(entry.Key.Location, $"_parallel: unknown option '{entry.Name}'; the only option is 'limit'");
                }
            }

            if (mapping.Find("limit") is null)
            {
                reader.Diagnostics.Error(mapping.Location, "_parallel: a mapping needs 'limit: N' (the most children running at once)");
            }

            return new ParallelSetting(true, limit, null);
        }

        reader.Diagnostics.Error(node.Location, $"_parallel: expected true, false, 'limit: N' or a ${{...}} template, got {ValueReader.Show(node)}");
        return null;
    }

    public RetrySetting? Retry(ConfigNode node)
    {
        if (ValueReader.Template(node) is { } limitTemplate)
        {
            return new RetrySetting(0, TimeSpan.Zero, RetryIntervalType.Constant, null, limitTemplate);
        }

        if (node is ScalarNode)
        {
            var limit = reader.Integer("_retry", node, 0, " (how many times to retry) or a mapping with limit/interval/interval_type/max_interval");
            return limit is null ? null : new RetrySetting(limit.Value, TimeSpan.Zero, RetryIntervalType.Constant, null);
        }

        if (node is not MappingNode mapping)
        {
            reader.Diagnostics.Error(node.Location, $"_retry: expected a number of retries or a mapping, got {ValueReader.Show(node)}");
            return null;
        }

        int? retries = null;
        string? template = null;
        var interval = TimeSpan.Zero;
        TimeSpan? maxInterval = null;
        var type = RetryIntervalType.Constant;
        foreach (var entry in mapping.Entries)
        {
            switch (entry.Name)
            {
                case "limit":
                    template = ValueReader.Template(entry.Value);
                    retries = template is null ? reader.Integer("_retry.limit", entry.Value, 0) : 0;
                    break;
                case "interval":
                    interval = Seconds("_retry.interval", entry.Value) ?? interval;
                    break;
                case "max_interval":
                    maxInterval = Seconds("_retry.max_interval", entry.Value);
                    break;
                case "interval_type":
                    var text = reader.String("_retry.interval_type", entry.Value);
                    if (text == "constant")
                    {
                        type = RetryIntervalType.Constant;
                    }
                    else if (text == "exponential")
                    {
                        type = RetryIntervalType.Exponential;
                    }
                    else if (text is not null)
                    {
                        reader.Diagnostics.Error(entry.Value.Location, $"_retry.interval_type: expected 'constant' or 'exponential', got '{text}'");
                    }

                    break;
                default:
                    reader.Diagnostics.Error(entry.Key.Location, $"_retry: unknown option '{entry.Name}'{Suggestions.DidYouMean(entry.Name, TaskKeys.RetryKeys)}; options are {string.Join(", ", TaskKeys.RetryKeys)}");
                    break;
            }
        }

        if (mapping.Find("limit") is null)
        {
            reader.Diagnostics.Error(mapping.Location, "_retry: 'limit' is required (how many times to retry)");
            return null;
        }

        return retries is null ? null : new RetrySetting(retries.Value, interval, type, maxInterval, template);
    }

    public IReadOnlyList<TaskReference> After(ConfigNode node)
    {
        var items = node switch
        {
            ScalarNode { IsNull: false } => [node],
            SequenceNode sequence => sequence.Items,
            _ => null,
        };
        if (items is null)
        {
            reader.Diagnostics.Error(node.Location, $"_after: expected a sibling task name or a list of them, e.g. [+extract], got {ValueReader.Show(node)}");
            return [];
        }

        var references = new List<TaskReference>();
        foreach (var item in items)
        {
            if (item is ScalarNode { IsNull: false } name && name.Value.StartsWith('+') && name.Value.Length > 1)
            {
                references.Add(new TaskReference(name.Value, name.Location));
            }
            else if (item is ScalarNode { IsNull: false } bare)
            {
                reader.Diagnostics.Error(item.Location, $"_after: task names start with '+': did you mean '+{bare.Value}'?");
            }
            else
            {
                reader.Diagnostics.Error(item.Location, $"_after: expected a task name such as +extract, got {ValueReader.Show(item)}");
            }
        }

        return references;
    }

    private TimeSpan? Seconds(string key, ConfigNode node)
    {
        var seconds = reader.Integer(key, node, 0, " (seconds)");
        return seconds is null ? null : TimeSpan.FromSeconds(seconds.Value);
    }
}
