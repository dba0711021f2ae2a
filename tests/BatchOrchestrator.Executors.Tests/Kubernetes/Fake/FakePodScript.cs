using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

/// <summary>
/// What a fake pod "runs", decided by its image as a kubelet would run the image:
/// <list type="bullet">
/// <item><c>fake/run</c>: interprets the task's script (the last argument of the container
/// command), line by line: <c>echo TEXT</c> prints, <c>sleep SECONDS</c> waits, <c>store K=V</c> writes
/// <c>$BO_OUTPUT</c>, <c>exit N</c> ends. At the end it prints the output block exactly as the
/// real wrapper script does.</item>
/// <item><c>fake/missing...</c>: the image does not pull (ErrImagePull, then ImagePullBackOff).</item>
/// <item><c>fake/no-secret</c>: a referenced Secret is missing (CreateContainerConfigError).</item>
/// </list>
/// A node selector <c>fake: none</c> makes the pod unschedulable.
/// </summary>
internal sealed record FakePodScript(IReadOnlyList<(TimeSpan At, string Line)> Lines, TimeSpan ExitAt, int ExitCode, string? StuckReason, string? StuckMessage, bool Unschedulable)
{
    public static FakePodScript For(JsonObject podSpec)
    {
        var container = podSpec["containers"]![0]!.AsObject();
        var image = container["image"]!.GetValue<string>();
        var unschedulable = podSpec["nodeSelector"]?["fake"]?.GetValue<string>() == "none";
        if (image.StartsWith("fake/missing", StringComparison.Ordinal))
        {
            return new([], TimeSpan.Zero, 0, "ImagePullBackOff", $"Back-off pulling image \"{image}\"", unschedulable);
        }

        if (image == "fake/no-secret")
        {
            var secret = container["envFrom"]?[0]?["secretRef"]?["name"]?.GetValue<string>() ?? "missing";
            return new([], TimeSpan.Zero, 0, "CreateContainerConfigError", $"secret \"{secret}\" not found", unschedulable);
        }

        var command = container["command"]!.AsArray();
        var script = command[^1]!.GetValue<string>();
        var token = container["env"]!.AsArray().FirstOrDefault(e => e!["name"]!.GetValue<string>() == "BO_OUTPUT_TOKEN")?["value"]?.GetValue<string>() ?? "";
        return Interpret(script, token, unschedulable);
    }

    private static FakePodScript Interpret(string script, string token, bool unschedulable)
    {
        var lines = new List<(TimeSpan, string)>();
        var at = TimeSpan.Zero;
        var output = new StringBuilder();
        var exit = 0;
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("echo ", StringComparison.Ordinal))
            {
                lines.Add((at, line[5..]));
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
}
