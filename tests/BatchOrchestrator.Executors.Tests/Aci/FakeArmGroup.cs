using System.Text;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Executors.Tests.Aci;

/// <summary>
/// One container group inside <see cref="FakeArm"/>: the definition it was PUT with, and a
/// lifecycle a test moves along (pending → running → terminated, or stuck pulling its image).
/// </summary>
internal sealed class FakeArmGroup(string name, JsonObject definition)
{
    /// <summary>ACI keeps this much of a stopped container's log.</summary>
    public const int StoppedLogLimit = 16 * 1024;

    private readonly StringBuilder _log = new();

    public string Name { get; } = name;

    /// <summary>The body of the PUT, as sent (secure values included: a test checks them).</summary>
    public JsonObject Definition { get; } = definition;

    public string ContainerState { get; private set; } = "Waiting";

    public string? DetailStatus { get; private set; }

    public int? ExitCode { get; private set; }

    public List<JsonObject> Events { get; } = [];

    public bool IsTerminated => ContainerState == "Terminated";

    /// <summary>Anything a test wants to keep with the group (e.g. the exit code it will report).</summary>
    public object? Tag { get; set; }

    /// <summary>ARM's provisioning: pending until the container is placed, creating while its image will not pull.</summary>
    public string ProvisioningState => (ContainerState, DetailStatus) switch
    {
        ("Waiting", "ErrImagePull") => "Creating",
        ("Waiting", _) => "Pending",
        _ => "Succeeded",
    };

    public void Start()
    {
        ContainerState = "Running";
        Events.Add(Event("Pulling", "Normal", "pulling image"));
        Events.Add(Event("Started", "Normal", "Started container"));
    }

    public void Write(string text)
    {
        if (ContainerState != "Running")
        {
            throw new InvalidOperationException("only a running container writes output");
        }

        _log.Append(text);
    }

    public void Exit(int code)
    {
        ContainerState = "Terminated";
        ExitCode = code;
        DetailStatus = code == 0 ? "Completed" : "Error";
    }

    public void FailPull(string image)
    {
        ContainerState = "Waiting";
        DetailStatus = "ErrImagePull";
        Events.Add(Event("Pulling", "Normal", $"pulling image \"{image}\""));
        Events.Add(Event("Failed", "Warning", $"Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to resolve reference \"{image}\": not found"));
        Events.Add(Event("BackOff", "Normal", $"Back-off pulling image \"{image}\""));
    }

    /// <summary>Whether a redeploy with <paramref name="body"/> keeps what ACI cannot change in place.</summary>
    public bool CanUpdateTo(JsonObject body)
    {
        static string Fixed(JsonNode? properties) => string.Join(
            "|",
            properties?["osType"]?.ToJsonString(),
            properties?["restartPolicy"]?.ToJsonString(),
            string.Join(",", properties?["containers"]?.AsArray().Select(c => c?["properties"]?["resources"]?.ToJsonString()) ?? []));
        return Fixed(Definition["properties"]) == Fixed(body["properties"]);
    }

    /// <summary>What the logs call returns now: all of it while running, the last 16 KB once stopped.</summary>
    public string? Logs() => ContainerState switch
    {
        "Running" => _log.ToString(),
        "Terminated" => _log.Length <= StoppedLogLimit ? _log.ToString() : _log.ToString(_log.Length - StoppedLogLimit, StoppedLogLimit),
        _ => null,
    };

    /// <summary>The group as a GET returns it: the definition without secure values, plus state.</summary>
    public JsonObject ToResponse(string id)
    {
        var body = (JsonObject)Definition.DeepClone();
        body["id"] = id;
        body["name"] = Name;
        body["type"] = "Microsoft.ContainerInstance/containerGroups";
        var provisioningState = ProvisioningState;
        var properties = (JsonObject)body["properties"]!;
        properties["provisioningState"] = provisioningState;
        foreach (var container in properties["containers"]!.AsArray())
        {
            var containerProperties = (JsonObject)container!["properties"]!;
            foreach (var variable in containerProperties["environmentVariables"]?.AsArray() ?? [])
            {
                // ARM never returns secure values.
                ((JsonObject)variable!).Remove("secureValue");
            }

            if (provisioningState == "Pending")
            {
                continue;
            }

            var current = new JsonObject { ["state"] = ContainerState, ["detailStatus"] = DetailStatus ?? "" };
            if (ContainerState != "Waiting")
            {
                current["startTime"] = "2026-11-21T00:00:05Z";
            }

            if (ExitCode is { } code)
            {
                current["exitCode"] = code;
                current["finishTime"] = "2026-11-21T00:01:00Z";
            }

            containerProperties["instanceView"] = new JsonObject
            {
                ["restartCount"] = 0,
                ["currentState"] = current,
                ["events"] = new JsonArray([.. Events.Select(e => (JsonNode)e.DeepClone())]),
            };
        }

        if (provisioningState != "Pending")
        {
            properties["instanceView"] = new JsonObject
            {
                ["events"] = new JsonArray(),
                ["state"] = ContainerState switch
                {
                    "Running" => "Running",
                    "Terminated" => ExitCode == 0 ? "Succeeded" : "Failed",
                    _ => "Pending",
                },
            };
        }

        return body;
    }

    private static JsonObject Event(string name, string type, string message) => new()
    {
        ["count"] = 1,
        ["firstTimestamp"] = "2026-11-21T00:00:01Z",
        ["lastTimestamp"] = "2026-11-21T00:00:01Z",
        ["name"] = name,
        ["message"] = message,
        ["type"] = type,
    };
}
