using System.Diagnostics;

namespace BatchOrchestrator.Engine.Telemetry;

/// <summary>Metric attribute lists, built the one way (project and workflow first).</summary>
internal static class Tags
{
    public static TagList Of(string project, string workflow, params ReadOnlySpan<(string Key, string Value)> more)
    {
        var tags = new TagList
        {
            { TelemetryNames.Project, project },
            { TelemetryNames.Workflow, workflow },
        };
        foreach (var (key, value) in more)
        {
            tags.Add(key, value);
        }

        return tags;
    }
}
