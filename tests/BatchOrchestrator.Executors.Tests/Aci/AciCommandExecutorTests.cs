using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Executors.Aci;

namespace BatchOrchestrator.Executors.Tests.Aci;

[TestClass]
public sealed class AciCommandExecutorTests
{
    [TestMethod]
    public async Task Launch_creates_the_group_once_and_returns_pending_without_waiting_for_ARM()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo hi");

        var status = await aci.Executor.LaunchAsync(request, CancellationToken.None);

        Assert.AreEqual(CommandPhase.Pending, status.Phase);
        Assert.AreEqual(aci.Options.PollInterval, status.PollAfter);
        Assert.AreEqual(1, aci.Arm.Count("GET"), "a GET comes before the PUT");
        Assert.AreEqual(1, aci.Arm.Count("PUT"));
        Assert.StartsWith("GET ", aci.Arm.Calls[0]);
        Assert.AreEqual(2, aci.Arm.Calls.Count, "no provider lookup and no polling of the async operation: " + string.Join(", ", aci.Arm.Calls));
        Assert.IsGreaterThan(0, aci.Credential.Requests);
    }

    [TestMethod]
    public async Task Group_spec_has_a_deterministic_short_name_tags_restart_never_resources_identity_and_the_wrapped_command()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo hi", container: new { executor = "aci", image = "myacr.azurecr.io/etl:1.4", cpu = 2, memory = "4Gi" }) with
        {
            TaskName = "+daily+" + new string('x', 200),
            Environment = new Dictionary<string, string> { ["REGION"] = "jp" },
        };

        await aci.Executor.LaunchAsync(request, CancellationToken.None);

        var name = aci.Arm.GroupNames.Single();
        var key = new AciTryKey(request.AttemptId, request.TaskName, request.Try);
        Assert.AreEqual(key.GroupName, name);
        Assert.IsLessThanOrEqualTo(63, name.Length);
        Assert.MatchesRegex("^[a-z0-9]+(-[a-z0-9]+)*$", name);
        var body = aci.Arm.Group(name).Definition;
        Assert.AreEqual("japaneast", (string?)body["location"]);
        Assert.AreEqual(key.Hash, (string?)body["tags"]![AciTryKey.KeyTag]);
        Assert.AreEqual("1", (string?)body["tags"]![AciTryKey.TryTag]);
        Assert.AreEqual(request.AttemptId, (string?)body["tags"]![AciTryKey.AttemptTag]);
        Assert.AreEqual("UserAssigned", (string?)body["identity"]!["type"]);
        Assert.IsNotNull(body["identity"]!["userAssignedIdentities"]![AciHarness.Identity]);
        var properties = body["properties"]!;
        Assert.AreEqual("Never", (string?)properties["restartPolicy"]);
        Assert.AreEqual("Linux", (string?)properties["osType"]);
        Assert.AreEqual("myacr.azurecr.io", (string?)properties["imageRegistryCredentials"]![0]!["server"]);
        Assert.AreEqual(AciHarness.Identity, (string?)properties["imageRegistryCredentials"]![0]!["identity"]);
        var container = properties["containers"]![0]!["properties"]!;
        Assert.AreEqual("myacr.azurecr.io/etl:1.4", (string?)container["image"]);
        Assert.AreEqual(2.0, (double)container["resources"]!["requests"]!["cpu"]!);
        Assert.AreEqual(4.3, (double)container["resources"]!["requests"]!["memoryInGB"]!);
        var command = container["command"]!.AsArray().Select(c => (string?)c).ToList();
        CollectionAssert.AreEqual(new[] { "/bin/sh", "-c", AciCommandScript.Wrapper }, command);
        var env = Env(container);
        Assert.AreEqual("jp", env["REGION"]["value"]!.GetValue<string>());
        Assert.AreEqual("'/bin/sh' '-c' 'echo hi'", env[AciCommandScript.CommandVariable]["value"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task A_redelivered_launch_adopts_the_group_after_a_GET_and_never_PUTs_again()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo hi");
        await aci.Executor.LaunchAsync(request, CancellationToken.None);
        aci.GroupOf(request).Start();

        var again = await aci.Executor.LaunchAsync(request, CancellationToken.None);

        Assert.AreEqual(CommandPhase.Running, again.Phase);
        Assert.AreEqual(1, aci.Arm.Count("PUT"));
    }

    [TestMethod]
    public async Task A_finished_group_is_adopted_with_its_result_and_never_PUT_again()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo done");
        await aci.Executor.LaunchAsync(request, CancellationToken.None);
        var group = aci.GroupOf(request);
        group.Start();
        group.Write("done\n");
        group.Exit(0);

        var again = await aci.Executor.LaunchAsync(request, CancellationToken.None);

        Assert.AreEqual(CommandPhase.Succeeded, again.Phase);
        Assert.AreEqual(0, again.ExitCode);
        Assert.AreEqual(1, aci.Arm.Count("PUT"), "a re-PUT would run the finished group again");
        Assert.AreEqual("done\n", aci.Log(request));
    }

    [TestMethod]
    public async Task A_group_of_the_same_name_made_for_another_try_is_not_adopted()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo hi");
        var name = new AciTryKey(request.AttemptId, request.TaskName, request.Try).GroupName;
        aci.Arm.Seed(name, JsonNode.Parse("""{"location":"japaneast","tags":{"bo-key":"someone-else"},"properties":{"containers":[{"name":"main","properties":{"image":"x"}}]}}""")!.AsObject());

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => aci.Executor.LaunchAsync(request, CancellationToken.None));

        Assert.Contains("was not made for this try", failure.Message);
        Assert.IsFalse(failure.Retryable);
        Assert.AreEqual(0, aci.Arm.Count("PUT"));
    }

    [TestMethod]
    public async Task Polling_follows_pending_running_and_succeeded_with_the_output_file()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo hi; echo 'a=1' > $BO_OUTPUT");
        var status = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        var group = aci.GroupOf(request);

        status = await aci.PollAsync(status);
        Assert.AreEqual(CommandPhase.Pending, status.Phase);

        group.Start();
        group.Write("hi\n");
        status = await aci.PollAsync(status);
        Assert.AreEqual(CommandPhase.Running, status.Phase);
        Assert.AreEqual(aci.Options.PollInterval, status.PollAfter);

        group.Write("\n@@bo-output@@" + Convert.ToBase64String("a=1\n"u8) + "@@\n");
        group.Exit(0);
        status = await aci.PollAsync(status);
        Assert.AreEqual(CommandPhase.Succeeded, status.Phase);
        Assert.AreEqual(0, status.ExitCode);
        Assert.AreEqual("a=1\n", status.OutputText);
        Assert.AreEqual("hi\n", aci.Log(request), "the output marker stays out of the log");
    }

    [TestMethod]
    public async Task A_nonzero_exit_fails_with_the_exit_code_and_the_last_lines()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("exit 3");
        var status = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        var group = aci.GroupOf(request);
        group.Start();
        group.Write(string.Concat(Enumerable.Range(1, 30).Select(i => $"line {i}\n")) + "boom: the API said no\n");
        group.Exit(3);

        status = await aci.PollAsync(status);

        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        Assert.AreEqual(3, status.ExitCode);
        Assert.Contains("exit code 3 (Error)", status.FailureMessage!);
        Assert.Contains("boom: the API said no", status.FailureMessage!);
        Assert.DoesNotContain("line 5\n", status.FailureMessage!, "only the last lines");
    }

    [TestMethod]
    public async Task Logs_are_copied_once_across_polls_and_the_final_read()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("work");
        var status = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        var group = aci.GroupOf(request);
        group.Start();
        group.Write("one\n");
        status = await aci.PollAsync(status);
        status = await aci.PollAsync(status);
        group.Write("two\nthree");
        status = await aci.PollAsync(status);
        group.Write(" and more\n");
        group.Exit(0);
        status = await aci.PollAsync(status);

        await aci.FinishAsync(status);

        Assert.AreEqual("one\ntwo\nthree and more\n", aci.Log(request));
    }

    [TestMethod]
    public async Task Output_beyond_the_16_KB_a_stopped_group_keeps_is_reported_as_missing_without_duplicates()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("work");
        var status = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        var group = aci.GroupOf(request);
        group.Start();
        group.Write("early line\n");
        status = await aci.PollAsync(status);
        var burst = string.Concat(Enumerable.Range(1, 2000).Select(i => $"burst {i:D5}\n"));
        group.Write(burst);
        group.Exit(0);

        status = await aci.PollAsync(status);
        await aci.FinishAsync(status);

        var log = aci.Log(request);
        Assert.StartsWith("early line\n" + AciLogDelta.GapNotice, log);
        Assert.EndsWith("burst 02000\n", log);
        Assert.AreEqual(1, log.Split("burst 02000").Length - 1);
    }

    [TestMethod]
    public async Task A_stopped_group_is_read_from_where_the_copy_stopped_within_its_last_16_KB()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("work");
        var status = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        var group = aci.GroupOf(request);
        group.Start();
        var big = string.Concat(Enumerable.Range(1, 3000).Select(i => $"row {i:D5}\n"));
        group.Write(big);
        status = await aci.PollAsync(status);
        group.Write("last words\n");
        group.Exit(0);

        status = await aci.PollAsync(status);
        await aci.FinishAsync(status);

        Assert.AreEqual(big + "last words\n", aci.Log(request));
    }

    [TestMethod]
    public async Task Cleanup_deletes_the_group_after_collecting_and_repeats_safely()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo hi");
        var status = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        var group = aci.GroupOf(request);
        group.Start();
        group.Write("hi\n");
        group.Exit(0);
        status = await aci.PollAsync(status);

        await aci.FinishAsync(status);
        await aci.Executor.CleanupAsync(status.State, CancellationToken.None);

        Assert.IsEmpty(aci.Arm.GroupNames);
        var calls = aci.Arm.Calls;
        var lastLogRead = calls.ToList().FindLastIndex(c => c.EndsWith("/logs", StringComparison.Ordinal));
        var firstDelete = calls.ToList().FindIndex(c => c.StartsWith("DELETE", StringComparison.Ordinal));
        Assert.IsLessThan(firstDelete, lastLogRead, "logs are read before the group is deleted");
        Assert.AreEqual(2, aci.Arm.Count("DELETE"));
    }

    [TestMethod]
    public async Task Cancel_deletes_the_group()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("sleep 1000");
        var status = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        aci.GroupOf(request).Start();

        await aci.Executor.CancelAsync(status.State, CancellationToken.None);

        Assert.IsEmpty(aci.Arm.GroupNames);
        Assert.AreEqual(CommandPhase.Lost, (await aci.PollAsync(status)).Phase, "a group deleted under a poll is reported lost, not silently running");
    }

    [TestMethod]
    public async Task An_image_that_cannot_be_pulled_fails_after_the_timeout_with_the_reason_and_events()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo hi", image: "myacr.azurecr.io/etl:nope");
        var status = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        aci.GroupOf(request).FailPull("myacr.azurecr.io/etl:nope");

        status = await aci.PollAsync(status);
        Assert.AreEqual(CommandPhase.Pending, status.Phase, "a pull error may be a hiccup at first");

        aci.Clock.Advance(aci.Options.ImagePullTimeout);
        status = await aci.PollAsync(status);

        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        Assert.Contains("could not be pulled", status.FailureMessage!);
        Assert.Contains("ErrImagePull", status.FailureMessage!);
        Assert.Contains("Failed to pull image \"myacr.azurecr.io/etl:nope\"", status.FailureMessage!);
        Assert.Contains("AcrPull", status.FailureMessage!);
        Assert.AreEqual("image_pull", status.StuckReason, "the bo.executor.stuck metric's reason");
    }

    [TestMethod]
    public async Task The_task_timeout_fails_a_running_group()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("sleep 1000") with { Timeout = TimeSpan.FromMinutes(5) };
        var status = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        aci.GroupOf(request).Start();
        aci.Clock.Advance(TimeSpan.FromMinutes(6));

        status = await aci.PollAsync(status);

        Assert.AreEqual(CommandPhase.Failed, status.Phase);
        Assert.Contains("timed out after 5 min", status.FailureMessage!);
    }

    [TestMethod]
    public async Task Values_from_secrets_go_as_secure_values_and_never_come_back_in_a_GET()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("curl -H \"token: s3cret\" x") with
        {
            Environment = new Dictionary<string, string> { ["API_TOKEN"] = "s3cret", ["REGION"] = "jp" },
            Files = new Dictionary<string, string> { ["task.json"] = "{\"password\":\"s3cret\"}" },
            SecretParts = new CommandSecretParts(["API_TOKEN"], Command: true, Files: true),
        };

        var status = await aci.Executor.LaunchAsync(request, CancellationToken.None);

        var env = Env(aci.GroupOf(request).Definition["properties"]!["containers"]![0]!["properties"]!);
        Assert.AreEqual("s3cret", env["API_TOKEN"]["secureValue"]!.GetValue<string>());
        Assert.IsNull(env["API_TOKEN"]["value"]);
        Assert.AreEqual("jp", env["REGION"]["value"]!.GetValue<string>());
        Assert.IsNotNull(env[AciCommandScript.CommandVariable]["secureValue"]);
        Assert.IsNotNull(env[AciCommandScript.FilesVariable]["secureValue"]);
        Assert.DoesNotContain("s3cret", status.State.Data.GetRawText());
        Assert.DoesNotContain("s3cret", (await aci.PollAsync(status)).State.Data.GetRawText());
    }

    [TestMethod]
    public async Task A_missing_image_is_a_config_error_before_anything_is_created()
    {
        using var aci = new AciHarness();
        var request = AciHarness.Sh("echo hi", container: new { executor = "aci" });

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => aci.Executor.LaunchAsync(request, CancellationToken.None));

        Assert.Contains("container.image is required", failure.Message);
        Assert.AreEqual(0, aci.Arm.Count("PUT"));
    }

    private static Dictionary<string, JsonObject> Env(JsonNode containerProperties) =>
        containerProperties["environmentVariables"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => v!.AsObject());
}
