using System.Text.Json.Nodes;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

/// <summary>One pod of a fake Job: its script, its log lines (with nanosecond times) and its container state.</summary>
internal sealed class FakePod(string ns, string name, string jobName, JsonObject labels, FakePodScript script, DateTimeOffset created)
{
    public string Namespace => ns;

    public string Name => name;

    public string JobName => jobName;

    public FakePodScript Script => script;

    public DateTimeOffset Created => created;

    public List<(long Nanos, string Line)> Log { get; } = [];

    public long StartedNanos { get; set; }

    public string? WaitingReason { get; set; } = "ContainerCreating";

    public string? WaitingMessage { get; set; }

    public bool Running { get; set; }

    public int? ExitCode { get; set; }

    public string? TerminatedReason { get; set; }

    public int EmittedLines { get; set; }

    public bool EventsWritten { get; set; }

    public bool Terminated => ExitCode is not null;

    public JsonObject ToJson()
    {
        JsonObject state = Terminated
            ? new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = ExitCode, ["reason"] = TerminatedReason ?? (ExitCode == 0 ? "Completed" : "Error"), ["startedAt"] = FakeTime.Nano(StartedNanos) } }
            : Running
                ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = FakeTime.Nano(StartedNanos) } }
                : new JsonObject { ["waiting"] = WaitingMessage is null ? new JsonObject { ["reason"] = WaitingReason } : new JsonObject { ["reason"] = WaitingReason, ["message"] = WaitingMessage } };
        var phase = Terminated ? (ExitCode == 0 ? "Succeeded" : "Failed") : Running ? "Running" : "Pending";
        var conditions = new JsonArray(script.Unschedulable
            ? new JsonObject { ["type"] = "PodScheduled", ["status"] = "False", ["reason"] = "Unschedulable", ["message"] = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling." }
            : new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" });
        var status = new JsonObject { ["phase"] = phase, ["conditions"] = conditions };
        if (!script.Unschedulable)
        {
            status["containerStatuses"] = new JsonArray(new JsonObject { ["name"] = "main", ["state"] = state, ["ready"] = Running && !Terminated, ["restartCount"] = 0 });
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = labels.DeepClone(),
                ["creationTimestamp"] = FakeTime.Seconds(created),
            },
            ["status"] = status,
        };
    }
}
