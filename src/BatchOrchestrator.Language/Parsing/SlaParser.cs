using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Model;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Language.Parsing;

/// <summary>Parses <c>sla:</c> — <c>time: HH:MM</c> or <c>duration: HH:MM:SS</c>, <c>fail</c>, <c>alert</c>, and <c>+tasks</c>.</summary>
internal sealed class SlaParser(ValueReader reader, TaskParser tasks)
{
    public SlaDefinition? Parse(ConfigNode node)
    {
        var mapping = reader.Mapping("sla", node);
        if (mapping is null)
        {
            return null;
        }

        TimeSpan? time = null;
        TimeSpan? duration = null;
        var fail = false;

        // As in Digdag: a missed SLA sends an alert unless told not to, and fails the attempt only when told to.
        var alert = true;
        var taskEntries = new List<ConfigEntry>();
        foreach (var entry in mapping.Entries)
        {
            switch (entry.Name)
            {
                case "time":
                    time = Clock("sla.time", entry.Value, "HH:MM or HH:MM:SS, a time of day such as 02:30", maxHours: 23);
                    break;
                case "duration":
                    duration = Clock("sla.duration", entry.Value, "HH:MM:SS, e.g. 01:30:00", maxHours: int.MaxValue);
                    break;
                case "fail":
                    fail = reader.Boolean("sla.fail", entry.Value) ?? false;
                    break;
                case "alert":
                    alert = reader.Boolean("sla.alert", entry.Value) ?? true;
                    break;
                default:
                    if (entry.Name.StartsWith('+'))
                    {
                        taskEntries.Add(entry);
                    }
                    else
                    {
                        reader.Diagnostics.Error(entry.Key.Location, $"sla: unknown option '{entry.Name}'{Suggestions.DidYouMean(entry.Name, TaskKeys.SlaKeys)}; options are time, duration, fail, alert and +tasks");
                    }

                    break;
            }
        }

        if ((mapping.Find("time") is null) == (mapping.Find("duration") is null))
        {
            reader.Diagnostics.Error(mapping.Location, "sla: give exactly one of 'time' (a time of day) or 'duration' (time since the session started)");
        }

        var slaTasks = taskEntries.Count == 0 ? null : tasks.Parse("^sla", new MappingNode(taskEntries, mapping.Location), isRoot: false);
        var template = ValueReader.Template(mapping.Get("time") ?? mapping.Get("duration") ?? mapping);
        return new SlaDefinition(time, duration, fail, alert, slaTasks, mapping.Location) { Template = template, TemplateIsDuration = template is not null && mapping.Find("duration") is not null };
    }

    private TimeSpan? Clock(string key, ConfigNode node, string expected, int maxHours)
    {
        // A template (time: ${deadline}) is decided when the session starts.
        if (ValueReader.Template(node) is not null)
        {
            return null;
        }

        if (node is ScalarNode { IsNull: false } scalar && SlaClock.TryParse(scalar.Value, maxHours, out var value))
        {
            return value;
        }

        reader.Diagnostics.Error(node.Location, $"{key}: expected {expected}, got {ValueReader.Show(node)}");
        return null;
    }
}
