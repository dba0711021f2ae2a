using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

/// <summary>
/// What the real API server checks in a Job or Secret before it stores it, with its field paths
/// and wording: restart policy, image, resource quantities, label values, environment variable
/// names and Secret keys. Each problem is one cause of a 422 Invalid.
/// </summary>
internal static partial class FakeValidation
{
    public static List<string> Job(JsonObject job)
    {
        var causes = new List<string>();
        Labels(job["metadata"]?["labels"] as JsonObject, "metadata.labels", causes);
        var template = job["spec"]?["template"];
        Labels(template?["metadata"]?["labels"] as JsonObject, "spec.template.metadata.labels", causes);
        var pod = template?["spec"];
        var restart = pod?["restartPolicy"]?.GetValue<string>();
        if (restart is not ("Never" or "OnFailure"))
        {
            causes.Add(restart is null
                ? "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""
                : $"spec.template.spec.restartPolicy: Unsupported value: \"{restart}\": supported values: \"OnFailure\", \"Never\"");
        }

        var containers = pod?["containers"] as JsonArray ?? [];
        if (containers.Count == 0)
        {
            causes.Add("spec.template.spec.containers: Required value");
        }

        for (var i = 0; i < containers.Count; i++)
        {
            var path = $"spec.template.spec.containers[{i}]";
            var container = containers[i]!;
            if (container["image"]?.GetValue<string>() is not { Length: > 0 })
            {
                causes.Add($"{path}.image: Required value");
            }

            var env = container["env"] as JsonArray ?? [];
            for (var e = 0; e < env.Count; e++)
            {
                var name = env[e]?["name"]?.GetValue<string>() ?? "";
                if (!EnvName().IsMatch(name))
                {
                    causes.Add($"{path}.env[{e}].name: Invalid value: \"{name}\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit");
                }
            }

            foreach (var kind in new[] { "requests", "limits" })
            {
                foreach (var (resource, value) in container["resources"]?[kind] as JsonObject ?? [])
                {
                    var text = value?.ToString() ?? "";
                    if (!Quantity().IsMatch(text))
                    {
                        causes.Add($"{path}.resources.{kind}[{resource}]: Invalid value: \"{text}\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
                    }
                }
            }
        }

        return causes;
    }

    public static List<string> Secret(JsonObject secret)
    {
        var causes = new List<string>();
        Labels(secret["metadata"]?["labels"] as JsonObject, "metadata.labels", causes);
        foreach (var (key, _) in secret["data"] as JsonObject ?? [])
        {
            if (key.Length > 253 || !SecretKey().IsMatch(key))
            {
                causes.Add($"data[{key}]: Invalid value: \"{key}\": a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
            }
        }

        return causes;
    }

    private static void Labels(JsonObject? labels, string path, List<string> causes)
    {
        foreach (var (key, value) in labels ?? [])
        {
            var text = value?.GetValue<string>() ?? "";
            if (text.Length > 63 || !LabelValue().IsMatch(text))
            {
                causes.Add($"{path}: Invalid value: \"{text}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (for {key})");
            }
        }
    }

    [GeneratedRegex("^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvName();

    [GeneratedRegex("^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")]
    private static partial Regex Quantity();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex SecretKey();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
