using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

namespace BatchOrchestrator.Executors.Tests.Kubernetes;

/// <summary>
/// The fake API server refuses what the real one refuses, with a 422 Invalid naming the field —
/// so a test of the executor's refusal handling meets the answers a cluster gives.
/// </summary>
[TestClass]
public sealed class FakeKubernetesServerTests
{
    [TestMethod]
    [DataRow("restartPolicy", "spec.template.spec.restartPolicy: Unsupported value: \"Always\"")]
    [DataRow("image", "spec.template.spec.containers[0].image: Required value")]
    [DataRow("quantity", "spec.template.spec.containers[0].resources.requests[cpu]: Invalid value: \"two\"")]
    [DataRow("label", "metadata.labels: Invalid value: \"-bad-\"")]
    [DataRow("env", "spec.template.spec.containers[0].env[0].name: Invalid value: \"MY VAR\"")]
    public async Task A_Job_the_real_API_server_refuses_is_refused_with_the_field_that_is_wrong(string wrong, string expected)
    {
        await using var server = await FakeKubernetesServer.StartAsync();
        var job = Job();
        var container = job["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
        switch (wrong)
        {
            case "restartPolicy":
                job["spec"]!["template"]!["spec"]!["restartPolicy"] = "Always";
                break;
            case "image":
                container.Remove("image");
                break;
            case "quantity":
                container["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "two" } };
                break;
            case "label":
                job["metadata"]!["labels"]!["team"] = "-bad-";
                break;
            case "env":
                container["env"] = new JsonArray(new JsonObject { ["name"] = "MY VAR", ["value"] = "x" });
                break;
        }

        var (code, body) = await PostAsync(server, "/apis/batch/v1/namespaces/batch/jobs", job);

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, code, body);
        StringAssert.StartsWith(body, "Invalid: Job.batch \"valid-job\" is invalid: ");
        StringAssert.Contains(body, expected);
        Assert.AreEqual(0, server.Cluster.Creates);
        Assert.AreEqual(HttpStatusCode.Created, (await PostAsync(server, "/apis/batch/v1/namespaces/batch/jobs", Job())).Code, "the same Job without the mistake is taken");
    }

    [TestMethod]
    public async Task A_Secret_with_a_key_Kubernetes_does_not_allow_is_refused()
    {
        await using var server = await FakeKubernetesServer.StartAsync();
        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "s" },
            ["data"] = new JsonObject { ["db password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("x")) },
        };

        var (code, body) = await PostAsync(server, "/api/v1/namespaces/batch/secrets", secret);

        Assert.AreEqual(HttpStatusCode.UnprocessableEntity, code, body);
        StringAssert.Contains(body, "data[db password]: Invalid value: \"db password\": a valid config key must consist of alphanumeric characters");
    }

    [TestMethod]
    public async Task Throttling_answers_429_with_Retry_After_once_then_serves_again()
    {
        await using var server = await FakeKubernetesServer.StartAsync();
        server.Faults.Add(FakeFault.Throttled("GET", "/jobs", retryAfterSeconds: 7));
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        using var throttled = await http.GetAsync("/apis/batch/v1/namespaces/batch/jobs");
        using var served = await http.GetAsync("/apis/batch/v1/namespaces/batch/jobs");

        Assert.AreEqual(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.AreEqual(TimeSpan.FromSeconds(7), throttled.Headers.RetryAfter?.Delta);
        StringAssert.Contains(await throttled.Content.ReadAsStringAsync(), "\"reason\":\"TooManyRequests\"");
        Assert.AreEqual(HttpStatusCode.OK, served.StatusCode);
    }

    private static JsonObject Job() => new()
    {
        ["apiVersion"] = "batch/v1",
        ["kind"] = "Job",
        ["metadata"] = new JsonObject { ["name"] = "valid-job", ["labels"] = new JsonObject { ["team"] = "etl" } },
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["restartPolicy"] = "Never",
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "busybox", ["command"] = new JsonArray("true") }),
                },
            },
        },
    };

    private static async Task<(HttpStatusCode Code, string Body)> PostAsync(FakeKubernetesServer server, string path, JsonObject body)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var answer = JsonNode.Parse(text)!;
        // A Status is checked by its reason and message, as the client reads them.
        return (response.StatusCode, answer["kind"]?.GetValue<string>() == "Status" ? $"{answer["reason"]}: {answer["message"]}" : text);
    }
}
