using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

/// <summary>
/// What a fake pod "runs", decided by its image as a kubelet would run the image:
/// <list type="bullet">
/// <item>First, as the kubelet does, the container's environment is resolved: <c>value</c>,
/// <c>valueFrom.secretKeyRef</c> and <c>envFrom.secretRef</c>; a Secret (or key) that does not
/// exist leaves the container waiting in CreateContainerConfigError.</item>
/// <item><c>fake/run</c>: interprets the task's script (the last argument of the container
/// command, or of the <c>BO_ARG_i</c> the wrapper rebuilds its arguments from), line by line:
/// <c>echo TEXT</c> prints (with <c>$NAME</c> / <c>${NAME}</c> expanded from the environment),
/// <c>sleep SECONDS</c> waits, <c>store K=V</c> writes <c>$BO_OUTPUT</c>, <c>exit N</c> ends. At the
/// end it prints the output block exactly as the real wrapper script does.</item>
/// <item><c>fake/missing...</c>: the image does not pull (ErrImagePull, then ImagePullBackOff).</item>
/// </list>
/// A node selector <c>fake: none</c> makes the pod unschedulable.
/// </summary>
internal sealed partial record FakePodScript(IReadOnlyList<(TimeSpan At, string Line)> Lines, TimeSpan ExitAt, int ExitCode, string? StuckReason, string? StuckMessage, bool Unschedulable)
{
    /// <param name="podSpec">The pod template's spec.</param>
    /// <param name="secretValue">(Secret name, key) → the decoded value; key null asks whether the Secret exists ("" when it does). Null when missing.</param>
    public static FakePodScript For(JsonObject podSpec, Func<string, string?, string?> secretValue)
    {
        var container = podSpec["containers"]![0]!.AsObject();
        var image = container["image"]!.GetValue<string>();
        var unschedulable = podSpec["nodeSelector"]?["fake"]?.GetValue<string>() == "none";
        if (image.StartsWith("fake/missing", StringComparison.Ordinal))
        {
            return new([], TimeSpan.Zero, 0, "ImagePullBackOff", $"Back-off pulling image \"{image}\"", unschedulable);
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var from in container["envFrom"]?.AsArray() ?? [])
        {
            var name = from!["secretRef"]!["name"]!.GetValue<string>();
            if (secretValue(name, null) is null)
            {
                return ConfigError($"secret \"{name}\" not found", unschedulable);
            }
        }

        foreach (var variable in container["env"]?.AsArray() ?? [])
        {
            var name = variable!["name"]!.GetValue<string>();
            if (variable["valueFrom"]?["secretKeyRef"] is { } reference)
            {
                var secret = reference["name"]!.GetValue<string>();
                var key = reference["key"]!.GetValue<string>();
                if (secretValue(secret, null) is null)
                {
                    return ConfigError($"secret \"{secret}\" not found", unschedulable);
                }

                env[name] = secretValue(secret, key) ?? "";
                if (secretValue(secret, key) is null)
                {
                    return ConfigError($"couldn't find key {key} in Secret {secret}", unschedulable);
                }
            }
            else
            {
                env[name] = variable["value"]?.GetValue<string>() ?? "";
            }
        }

        var command = container["command"]!.AsArray();
        var script = env.TryGetValue("BO_ARG_COUNT", out var count)
            ? env[$"BO_ARG_{int.Parse(count, CultureInfo.InvariantCulture) - 1}"]
            : command[^1]!.GetValue<string>();
        return Interpret(script, env, unschedulable);
    }

    private static FakePodScript ConfigError(string message, bool unschedulable) =>
        new([], TimeSpan.Zero, 0, "CreateContainerConfigError", message, unschedulable);

    private static FakePodScript Interpret(string script, IReadOnlyDictionary<string, string> env, bool unschedulable)
    {
        var token = env.GetValueOrDefault("BO_OUTPUT_TOKEN", "");
        var lines = new List<(TimeSpan, string)>();
        var at = TimeSpan.Zero;
        var output = new StringBuilder();
        var exit = 0;
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("echo ", StringComparison.Ordinal))
            {
                lines.Add((at, Variable().Replace(line[5..], m => env.GetValueOrDefault(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, ""))));
            }
            else if (line.StartsWith("sleep ", StringComparison.Ordinal))
            {
                at += TimeSpan.FromSeconds(double.Parse(line[6..], CultureInfo.InvariantCulture));
            }
            else if (line.StartsWith("store ", StringComparison.Ordinal))
            {
                output.Append(line[6..]).Append('\n');
            }
            else if (line.StartsWith("exit ", StringComparison.Ordinal))
            {
                exit = int.Parse(line[5..], CultureInfo.InvariantCulture);
                break;
            }
        }

        if (output.Length > 0)
        {
            lines.Add((at, ""));
            lines.Add((at, $"::bo-output::{token}::begin"));
            lines.Add((at, Convert.ToBase64String(Encoding.UTF8.GetBytes(output.ToString()))));
            lines.Add((at, $"::bo-output::{token}::end"));
        }

        return new(lines, at, exit, null, null, unschedulable);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial System.Text.RegularExpressions.Regex Variable();
}
