using System.Text.Json.Nodes;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

/// <summary>The API server's <c>Status</c> objects (meta/v1), as the real server writes them.</summary>
internal static class FakeStatus
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject AlreadyExists(string name, string kind = "jobs", string group = "batch") =>
        Failure(409, "AlreadyExists", $"{(group.Length == 0 ? kind : $"{kind}.{group}")} \"{name}\" already exists", new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = kind });

    public static JsonObject NotFound(string resource, string name) =>
        Failure(404, "NotFound", $"{resource} \"{name}\" not found", new JsonObject { ["name"] = name, ["kind"] = resource.Split('.')[0] });

    public static JsonObject Expired(long requested, long oldest) =>
        Failure(410, "Expired", $"too old resource version: {requested} ({oldest})");

    public static JsonObject Success() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
    };
}
