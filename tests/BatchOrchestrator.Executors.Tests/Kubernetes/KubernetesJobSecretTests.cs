using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Executors.Kubernetes.Jobs;
using k8s;

namespace BatchOrchestrator.Executors.Tests.Kubernetes;

/// <summary>
/// Values that came from <c>${secret:...}</c> reach the container through a per-try Secret, never
/// through the Job, which anyone allowed to read Jobs in the namespace can read.
/// </summary>
[TestClass]
public sealed class KubernetesJobSecretTests
{
    private const string Token = "tok-9f8e7d6c5b4a";

    [TestMethod]
    public async Task A_secret_env_value_reaches_the_pod_through_a_Secret_owned_by_the_Job_and_never_appears_in_the_Job()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = SecretRequest("echo token=$API_TOKEN greeting=$GREETING");
        var name = JobName.For(request.AttemptId, request.TaskName, request.Try);
        JsonObject? secretWhileRunning = null;

        var status = await k8s.RunAsync(request, _ =>
        {
            secretWhileRunning ??= k8s.Cluster.GetSecret("batch", name);
            return Task.CompletedTask;
        });

        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        Assert.AreEqual($"token={Token} greeting=hi\n", k8s.Logs.Text(request.Log), "the container saw the value");
        Assert.IsTrue(k8s.Cluster.JobBodies.Count > 0);
        Assert.IsFalse(k8s.Cluster.JobBodies.Any(body => body.Contains(Token, StringComparison.Ordinal)), "no Job the server received holds the value");
        var env = JsonNode.Parse(k8s.Cluster.JobBodies[0])!["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        var reference = env.Single(e => (string?)e!["name"] == "API_TOKEN")!["valueFrom"]!["secretKeyRef"]!;
        Assert.AreEqual(name, (string?)reference["name"]);
        Assert.AreEqual("hi", (string?)env.Single(e => (string?)e!["name"] == "GREETING")!["value"], "values that are not secret stay in the Job");
        Assert.IsNotNull(secretWhileRunning, "the Secret exists while the Job runs");
        var owner = secretWhileRunning["metadata"]!["ownerReferences"]![0]!;
        Assert.AreEqual("Job", (string?)owner["kind"]);
        Assert.AreEqual(name, (string?)owner["name"]);
        Assert.AreEqual(true, (bool?)secretWhileRunning["immutable"]);
        Assert.IsNull(k8s.Cluster.GetSecret("batch", name), "cleanup deletes the Secret with the Job");
    }

    [TestMethod]
    public async Task A_command_line_that_held_a_secret_travels_in_the_Secret_too()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = KubernetesHarness.Sh($"echo calling with {Token}") with
        {
            SecretParts = new CommandSecretParts([], Command: true, Files: false),
        };

        var status = await k8s.RunAsync(request);

        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        Assert.AreEqual($"calling with {Token}\n", k8s.Logs.Text(request.Log));
        Assert.IsFalse(k8s.Cluster.JobBodies.Any(body => body.Contains(Token, StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task The_Secret_of_a_Job_deleted_without_cleanup_goes_with_it_and_a_redelivered_launch_adopts_both()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = SecretRequest("sleep 30");
        var name = JobName.For(request.AttemptId, request.TaskName, request.Try);

        var first = await k8s.Executor.LaunchAsync(request, CancellationToken.None);
        var again = await k8s.Executor.LaunchAsync(request, CancellationToken.None);
        Assert.AreEqual(first.State.Data.GetRawText(), again.State.Data.GetRawText());
        Assert.AreEqual(1, k8s.Cluster.Creates, "one Job");
        Assert.IsNotNull(k8s.Cluster.GetSecret("batch", name));

        // A person (or the TTL controller) deletes the Job; the engine never cleans up.
        await k8s.Api.BatchV1.DeleteNamespacedJobAsync(name, "batch", propagationPolicy: "Background");

        Assert.IsNull(k8s.Cluster.GetSecret("batch", name), "garbage-collected through its owner reference");
    }

    [TestMethod]
    public async Task Killing_the_attempt_deletes_its_Secrets_with_its_Jobs()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = SecretRequest("sleep 30") with { AttemptId = "attempt-with-secret" };
        await k8s.Executor.LaunchAsync(request, CancellationToken.None);

        var killed = await k8s.Executor.CancelAttemptAsync("attempt-with-secret", [], CancellationToken.None);

        Assert.AreEqual(1, killed);
        Assert.IsEmpty(k8s.Cluster.SecretNames("batch"));
    }

    private static CommandRequest SecretRequest(string script)
    {
        var request = KubernetesHarness.Sh(script);
        return request with
        {
            Environment = new Dictionary<string, string>(request.Environment) { ["API_TOKEN"] = Token },
            SecretParts = new CommandSecretParts(["API_TOKEN"], Command: false, Files: false),
        };
    }
}
