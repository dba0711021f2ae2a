using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Executors.Aci;

namespace BatchOrchestrator.Executors.Tests.Aci;

/// <summary>
/// What the ACI executor does when ARM does not simply say yes: throttling (429 with
/// Retry-After), ARM's own failures (5xx, a dropped connection) — sent again after a bounded,
/// growing wait on the executor's clock, then a retryable task failure — and refusals (400, 403,
/// 409) — never sent again, a task failure that carries ARM's code and reason.
/// </summary>
[TestClass]
public sealed class AciArmFailureTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [TestMethod]
    public async Task Throttled_creation_is_sent_again_after_the_wait_ARM_asked_for_and_makes_one_group()
    {
        using var aci = new AciHarness();
        aci.Arm.FailNext("PUT", FakeArmFault.Throttled(7 * Second), FakeArmFault.Throttled(7 * Second));
        var request = AciHarness.Sh("echo hi");

        var status = await aci.Executor.LaunchAsync(request, CancellationToken.None);

        Assert.AreEqual(CommandPhase.Pending, status.Phase);
        Assert.AreEqual(3, aci.Arm.Count("PUT"));
        CollectionAssert.AreEqual(new[] { 7 * Second, 7 * Second }, aci.Clock.Waits.ToArray());
        Assert.HasCount(1, aci.Arm.GroupNames);
        Assert.AreEqual(0, aci.Arm.Redeploys);
    }

    [TestMethod]
    [DataRow("x-ms-retry-after-ms", "1500", 1500)]
    [DataRow("Retry-After", "Sat, 21 Nov 2026 00:00:09 GMT", 9000)]
    public async Task A_wait_asked_for_in_milliseconds_or_as_a_date_is_the_wait_taken(string header, string value, int milliseconds)
    {
        using var aci = new AciHarness();
        aci.Arm.FailNext("GET", FakeArmFault.Throttled(TimeSpan.Zero) with { RetryAfter = null, Header = (header, value) });

        await aci.Executor.LaunchAsync(AciHarness.Sh("echo hi"), CancellationToken.None);

        CollectionAssert.AreEqual(new[] { TimeSpan.FromMilliseconds(milliseconds) }, aci.Clock.Waits.ToArray());
        Assert.AreEqual(2, aci.Arm.Count("GET"));
    }

    [TestMethod]
    public async Task Server_errors_and_a_dropped_connection_during_a_poll_back_off_1_2_4_seconds_and_the_poll_goes_on()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo hi");
        var launched = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        aci.GroupOf(request).Start();
        aci.GroupOf(request).Write("working\n");
        aci.Arm.FailNext("GET", FakeArmFault.Unavailable(), FakeArmFault.Dropped(), FakeArmFault.Internal());

        var status = await aci.PollAsync(launched);

        Assert.AreEqual(CommandPhase.Running, status.Phase);
        CollectionAssert.AreEqual(new[] { 1 * Second, 2 * Second, 4 * Second }, aci.Clock.Waits.ToArray());
        Assert.AreEqual("working\n", aci.Log(request));
    }

    [TestMethod]
    public async Task Throttling_that_outlasts_the_budget_fails_the_try_as_retryable_and_says_what_ARM_answered()
    {
        using var aci = new AciHarness();
        aci.Arm.FailNext("PUT", [.. Enumerable.Repeat(FakeArmFault.Throttled(25 * Second), 10)]);

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => aci.Executor.LaunchAsync(AciHarness.Sh("echo hi"), CancellationToken.None));

        Assert.IsTrue(failure.Retryable, "throttling passes; _retry may run the task again");
        StringAssert.StartsWith(failure.Message, "ARM did not create container group bo-");
        StringAssert.Contains(failure.Message, "429 TooManyRequests: The request is being throttled");
        Assert.AreEqual(3, aci.Arm.Count("PUT"), "a fourth wait of 25 s would pass the 60 s budget");
        CollectionAssert.AreEqual(new[] { 25 * Second, 25 * Second }, aci.Clock.Waits.ToArray());
        Assert.IsEmpty(aci.Arm.GroupNames);
    }

    [TestMethod]
    public async Task A_location_where_ACI_does_not_run_is_refused_once_with_ARMs_reason()
    {
        using var aci = new AciHarness(new AciExecutorOptions { SubscriptionId = FakeArm.Subscription, ResourceGroup = FakeArm.ResourceGroup, Location = "marsnorth" });

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => aci.Executor.LaunchAsync(AciHarness.Sh("echo hi"), CancellationToken.None));

        Assert.IsFalse(failure.Retryable);
        StringAssert.StartsWith(failure.Message, "ARM refused to create container group bo-");
        StringAssert.Contains(failure.Message, $"in resource group {FakeArm.ResourceGroup}: 400 LocationNotAvailableForResourceType: The provided location 'marsnorth' is not available");
        Assert.AreEqual(1, aci.Arm.Count("PUT"));
        Assert.IsEmpty(aci.Clock.Waits);
    }

    [TestMethod]
    public async Task More_cpu_than_a_group_may_have_is_refused_with_the_limit()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo hi", container: new { executor = "aci", image = "myacr.azurecr.io/etl:1.4", cpu = 8, memory = "4Gi" });

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => aci.Executor.LaunchAsync(request, CancellationToken.None));

        Assert.IsFalse(failure.Retryable);
        StringAssert.Contains(failure.Message, "400 ResourceRequestsNotSupported: The requested resource with '8' CPU");
        Assert.AreEqual(1, aci.Arm.Count("PUT"));
    }

    [TestMethod]
    [DataRow("forbidden", "403 AuthorizationFailed: The client 'batch' with object id '00000000-0000-0000-0000-00000000000b' does not have authorization to perform action 'Microsoft.ContainerInstance/containerGroups/write'")]
    [DataRow("quota", "409 ContainerGroupQuotaReached: Resource type 'Microsoft.ContainerInstance/containerGroups' container group quota 'StandardCores' exceeded")]
    public async Task A_refused_creation_fails_the_try_at_once_with_ARMs_code_and_reason(string refusal, string expected)
    {
        using var aci = new AciHarness();
        aci.Arm.FailNext("PUT", refusal == "forbidden" ? FakeArmFault.Forbidden() : FakeArmFault.QuotaReached());

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => aci.Executor.LaunchAsync(AciHarness.Sh("echo hi"), CancellationToken.None));

        Assert.IsFalse(failure.Retryable);
        StringAssert.Contains(failure.Message, expected);
        Assert.AreEqual(1, aci.Arm.Count("PUT"));
        Assert.IsEmpty(aci.Clock.Waits);
    }

    [TestMethod]
    public async Task A_refused_read_during_a_poll_fails_the_task_instead_of_waiting()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo hi");
        var launched = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        aci.Arm.FailNext("GET", FakeArmFault.Forbidden());

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => aci.PollAsync(launched));

        Assert.IsFalse(failure.Retryable);
        StringAssert.StartsWith(failure.Message, "ARM refused to read container group bo-");
        StringAssert.Contains(failure.Message, "403 AuthorizationFailed");
        Assert.IsEmpty(aci.Clock.Waits);
    }

    [TestMethod]
    [DataRow("name", "Bo-Upper", "InvalidResourceName")]
    [DataRow("name", "bo--double", "InvalidResourceName")]
    [DataRow("name", "-bo", "InvalidResourceName")]
    [DataRow("long-name", "", "InvalidResourceName")]
    [DataRow("no-location", "", "LocationRequired")]
    [DataRow("location", "atlantis", "LocationNotAvailableForResourceType")]
    [DataRow("long-tag-value", "", "InvalidTag")]
    [DataRow("long-tag-name", "", "InvalidTag")]
    [DataRow("51-tags", "", "InvalidTag")]
    [DataRow("no-os", "", "InvalidOsType")]
    [DataRow("container-name", "Main_1", "InvalidContainerName")]
    [DataRow("no-requests", "", "ResourceRequestsNotSpecified")]
    [DataRow("memory", "1.55", "InvalidContainerResourceRequest")]
    [DataRow("memory", "20", "ResourceRequestsNotSupported")]
    [DataRow("variable", "", "InvalidEnvironmentVariable")]
    public async Task The_fake_refuses_what_ARM_refuses_with_400_and_ARMs_error_json(string change, string value, string code)
    {
        using var arm = new FakeArm();
        using var http = new HttpClient(arm);
        var name = change == "name" ? value : change == "long-name" ? new string('a', 64) : "bo-valid";
        var body = ValidBody();
        var properties = body["properties"]!.AsObject();
        var container = properties["containers"]![0]!["properties"]!.AsObject();
        switch (change)
        {
            case "no-location": body.Remove("location"); break;
            case "location": body["location"] = value; break;
            case "long-tag-value": body["tags"]!["bo-task"] = new string('x', 257); break;
            case "long-tag-name": body["tags"]![new string('t', 513)] = "x"; break;
            case "51-tags": foreach (var i in Enumerable.Range(0, 48)) { body["tags"]![$"t{i}"] = "x"; } break;
            case "no-os": properties.Remove("osType"); break;
            case "container-name": properties["containers"]![0]!["name"] = value; break;
            case "no-requests": container["resources"] = new JsonObject(); break;
            case "memory": container["resources"]!["requests"]!["memoryInGB"] = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "variable": container["environmentVariables"]!.AsArray().Add(new JsonObject { ["name"] = "BOTH", ["value"] = "a", ["secureValue"] = "b" }); break;
        }

        using var response = await PutAsync(http, name, body);

        Assert.AreEqual(400, (int)response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.AreEqual(code, error["code"]!.GetValue<string>());
        Assert.IsFalse(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.IsEmpty(arm.GroupNames);
    }

    [TestMethod]
    public async Task In_the_fake_a_re_PUT_runs_a_finished_group_again_which_is_why_the_executor_never_sends_one()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo hi");
        await aci.Executor.LaunchAsync(request, CancellationToken.None);
        var group = aci.GroupOf(request);
        group.Start();
        group.Exit(0);

        // A redelivered launch adopts the finished group: its result stays.
        var adopted = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        Assert.AreEqual(CommandPhase.Succeeded, adopted.Phase);
        Assert.AreEqual(1, aci.Arm.Count("PUT"));

        // What a second PUT would have done: ACI deploys the group anew, the run starts over.
        using var http = new HttpClient(aci.Arm, disposeHandler: false);
        using var response = await PutAsync(http, group.Name, group.Definition);
        Assert.AreEqual(200, (int)response.StatusCode);
        Assert.AreEqual(1, aci.Arm.Redeploys);
        Assert.AreEqual("Waiting", aci.GroupOf(request).ContainerState);
        Assert.IsNull(aci.GroupOf(request).ExitCode);
    }

    [TestMethod]
    public async Task In_the_fake_changing_the_resources_of_a_running_group_is_a_409()
    {
        using var arm = new FakeArm();
        using var http = new HttpClient(arm);
        using (var created = await PutAsync(http, "bo-running", ValidBody()))
        {
            Assert.AreEqual(201, (int)created.StatusCode);
        }

        arm.Group("bo-running").Start();
        var bigger = ValidBody();
        bigger["properties"]!["containers"]![0]!["properties"]!["resources"]!["requests"]!["cpu"] = 2;

        using var response = await PutAsync(http, "bo-running", bigger);

        Assert.AreEqual(409, (int)response.StatusCode);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "ContainerGroupUpdateNotAllowed");
        Assert.AreEqual("Running", arm.Group("bo-running").ContainerState);
    }

    private static JsonObject ValidBody() => JsonNode.Parse("""
        {
          "location": "japaneast",
          "tags": {"bo-attempt": "a", "bo-task": "+wf+t", "bo-try": "1"},
          "properties": {
            "osType": "Linux",
            "restartPolicy": "Never",
            "sku": "Standard",
            "containers": [{
              "name": "main",
              "properties": {
                "image": "myacr.azurecr.io/etl:1.4",
                "command": ["/bin/sh", "-c", "echo hi"],
                "environmentVariables": [{"name": "A", "value": "1"}, {"name": "S", "secureValue": "2"}],
                "resources": {"requests": {"cpu": 1, "memoryInGB": 1.5}}
              }
            }]
          }
        }
        """)!.AsObject();

    private static async Task<HttpResponseMessage> PutAsync(HttpClient http, string name, JsonObject body)
    {
        using var request = new HttpRequestMessage(
            HttpMethod.Put,
            $"https://management.azure.com/subscriptions/{FakeArm.Subscription}/resourceGroups/{FakeArm.ResourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/{name}?api-version={AciExecutorOptions.ApiVersion}")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "token");
        return await http.SendAsync(request);
    }
}
