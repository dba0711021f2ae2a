using System.Net;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using k8s.Autorest;

namespace BatchOrchestrator.Executors.Tests.Kubernetes;

/// <summary>
/// What the executor does when the API server says no or not now. A refusal (403 from RBAC or a
/// quota, 422 Invalid) fails the task at once with the server's reason — trying again cannot help.
/// Throttling (429) and server errors (5xx) are retried with backoff, waiting what
/// <c>Retry-After</c> says; what outlasts the retries is left to the engine's activity retry, not
/// made a task failure. Waits are recorded by <see cref="InstantTime"/>, never slept.
/// </summary>
[TestClass]
public sealed class KubernetesRefusalTests
{
    [TestMethod]
    public async Task A_Job_the_API_server_finds_invalid_fails_the_task_with_the_servers_reason()
    {
        var time = new InstantTime();
        await using var k8s = await KubernetesHarness.StartAsync(clientTime: time);
        var request = KubernetesHarness.Sh("echo never");
        request = request with { Environment = new Dictionary<string, string>(request.Environment) { ["2FAST"] = "x" } };

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => k8s.Executor.LaunchAsync(request, CancellationToken.None));

        Assert.IsFalse(failure.Retryable);
        StringAssert.Contains(failure.Message, "Kubernetes refused the Job");
        StringAssert.Contains(failure.Message, "answered 422 Invalid");
        StringAssert.Contains(failure.Message, "env[0].name: Invalid value: \"2FAST\": a valid environment variable name");
        Assert.AreEqual(0, k8s.Cluster.Creates);
        Assert.IsEmpty(time.Waits, "a refusal is not retried");
    }

    [TestMethod]
    public async Task A_resource_quantity_Kubernetes_cannot_read_fails_the_task_before_anything_is_sent()
    {
        await using var k8s = await KubernetesHarness.StartAsync();
        var request = KubernetesHarness.Sh("echo never", container: new { executor = "kubernetes", image = "fake/run", cpu = "two" });

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => k8s.Executor.LaunchAsync(request, CancellationToken.None));

        Assert.IsFalse(failure.Retryable);
        StringAssert.StartsWith(failure.Message, "container.cpu 'two' is not a Kubernetes quantity (such as 2, 500m or 4Gi)");
        Assert.AreEqual(0, k8s.Server.Requests);
    }

    [TestMethod]
    public async Task A_forbidden_create_fails_the_task_with_the_RBAC_message_without_retrying()
    {
        var time = new InstantTime();
        await using var k8s = await KubernetesHarness.StartAsync(clientTime: time);
        const string rbac = "jobs.batch is forbidden: User \"system:serviceaccount:batch:bo\" cannot create resource \"jobs\" in API group \"batch\" in the namespace \"batch\"";
        k8s.Server.Faults.Add(FakeFault.Forbidden("POST", "/jobs", rbac));

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => k8s.Executor.LaunchAsync(KubernetesHarness.Sh("echo never"), CancellationToken.None));

        Assert.IsFalse(failure.Retryable);
        StringAssert.Contains(failure.Message, "answered 403 Forbidden: " + rbac);
        Assert.AreEqual(0, k8s.Cluster.Creates);
        Assert.IsEmpty(time.Waits);
    }

    [TestMethod]
    public async Task A_throttled_create_waits_what_Retry_After_says_and_goes_again()
    {
        var time = new InstantTime();
        await using var k8s = await KubernetesHarness.StartAsync(clientTime: time);
        k8s.Server.Faults.Add(FakeFault.Throttled("POST", "/jobs", retryAfterSeconds: 3, times: 2));
        var request = KubernetesHarness.Sh("echo after the wait");

        var status = await k8s.RunAsync(request);

        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        Assert.AreEqual("after the wait\n", k8s.Logs.Text(request.Log));
        Assert.AreEqual(1, k8s.Cluster.Creates);
        CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3) }, time.Waits.ToArray());
    }

    [TestMethod]
    public async Task Server_errors_are_retried_with_backoff_and_the_task_still_runs()
    {
        var time = new InstantTime();
        await using var k8s = await KubernetesHarness.StartAsync(clientTime: time);
        k8s.Server.Faults.Add(new FakeFault("POST", "/jobs", 503, Times: 2));
        k8s.Server.Faults.Add(new FakeFault("GET", "/pods", 500));
        var request = KubernetesHarness.Sh("echo despite the errors");

        var status = await k8s.RunAsync(request);

        Assert.AreEqual(CommandPhase.Succeeded, status.Phase, status.FailureMessage);
        Assert.AreEqual("despite the errors\n", k8s.Logs.Text(request.Log));
        Assert.AreEqual(1, k8s.Cluster.Creates);
        Assert.HasCount(3, time.Waits);
        Assert.IsTrue(time.Waits.All(w => w > TimeSpan.Zero && w <= TimeSpan.FromSeconds(30)), string.Join(", ", time.Waits));
    }

    [TestMethod]
    public async Task Server_errors_that_outlast_the_retries_are_left_to_the_engines_retry_not_failed_as_the_tasks_fault()
    {
        var time = new InstantTime();
        await using var k8s = await KubernetesHarness.StartAsync(clientTime: time);
        k8s.Server.Faults.Add(new FakeFault("POST", "/jobs", 500, Times: 100));

        var error = await Assert.ThrowsExactlyAsync<HttpOperationException>(() => k8s.Executor.LaunchAsync(KubernetesHarness.Sh("echo later"), CancellationToken.None));

        Assert.AreEqual(HttpStatusCode.InternalServerError, error.Code());
        Assert.IsTrue(error.IsTransient());
        Assert.HasCount(new TransientRetryOptions().MaxRetries, time.Waits);
    }
}
