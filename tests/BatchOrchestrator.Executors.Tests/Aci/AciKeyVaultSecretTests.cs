using System.Text.Json.Nodes;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Storage.Tests.KeyVault;

namespace BatchOrchestrator.Executors.Tests.Aci;

/// <summary><c>container.secrets</c> on ACI: Key Vault secrets read with the host's credential, sent as secure values, masked everywhere the engine writes.</summary>
[TestClass]
public sealed class AciKeyVaultSecretTests
{
    private const string Password = "kv-p4ssw0rd-7c1e";
    private const string Token = "kv-t0ken-93ab";

    [TestMethod]
    public async Task Named_Key_Vault_secrets_become_secure_environment_values_after_the_vaults_challenge()
    {
        using var vault = Vault();
        using var aci = new AciHarness(vault: vault);
        var request = Request();

        await aci.Executor.LaunchAsync(request, CancellationToken.None);

        var env = Env(aci.GroupOf(request).Definition);
        Assert.AreEqual(Password, (string?)env["ETL_DB_PASSWORD"]["secureValue"], "the name becomes the variable: upper case, '-' → '_'");
        Assert.AreEqual(Token, (string?)env["API_TOKEN"]["secureValue"], "VARIABLE=secret-name names the variable");
        Assert.IsNull(env["API_TOKEN"]["value"]);
        Assert.AreEqual("GET /secrets/etl-db-password 401", vault.Calls[0], "the SDK met the vault's challenge first");
        Assert.IsTrue(vault.Credential.Requests.Any(r => r.Scopes.SequenceEqual(["https://vault.azure.net/.default"]) && r.TenantId == FakeKeyVault.Tenant));
    }

    [TestMethod]
    public async Task Their_values_are_masked_in_the_log_and_the_failure_message_also_by_a_host_that_did_not_launch_the_try()
    {
        using var vault = Vault();
        using var aci = new AciHarness(vault: vault);
        var request = Request();
        var launched = await aci.Executor.LaunchAsync(request, CancellationToken.None);
        var pending = await aci.PollAsync(launched);
        var group = aci.GroupOf(request);
        group.Start();
        group.Write($"connecting with {Password}\n");
        group.Write($"token {Token} refused\n");
        group.Exit(2);

        // The host restarts: a new executor, which never saw the values, polls and finishes the try.
        var restarted = aci.NewExecutor(vault);
        var failed = await restarted.PollAsync(pending.State, CancellationToken.None);
        var state = await restarted.CollectLogsAsync(failed.State, CancellationToken.None);
        await restarted.CleanupAsync(state, CancellationToken.None);

        Assert.AreEqual(CommandPhase.Failed, failed.Phase);
        Assert.AreEqual("connecting with ***\ntoken *** refused\n", aci.Log(request));
        Assert.DoesNotContain(Token, failed.FailureMessage!);
        StringAssert.Contains(failed.FailureMessage, "token *** refused");
        Assert.DoesNotContain(Password, pending.State.Data.GetRawText() + failed.State.Data.GetRawText(), "the command state names secrets, never values");
    }

    [TestMethod]
    public async Task A_secret_the_vault_lacks_or_a_host_without_a_vault_fails_the_task_before_anything_is_created()
    {
        using var vault = Vault();
        using var aci = new AciHarness(vault: vault);
        var missing = AciHarness.Sh("echo hi", container: new { executor = "aci", image = "myacr.azurecr.io/etl:1.4", secrets = new[] { "not-there" } });
        using var noVault = new AciHarness();

        var notFound = await Assert.ThrowsExactlyAsync<TaskFailure>(() => aci.Executor.LaunchAsync(missing, CancellationToken.None));
        var unconfigured = await Assert.ThrowsExactlyAsync<TaskFailure>(() => noVault.Executor.LaunchAsync(Request(), CancellationToken.None));
        var invalid = Assert.ThrowsExactly<TaskFailure>(() => Executors.Aci.AciSecretReference.Parse("db.password"));

        Assert.IsFalse(notFound.Retryable);
        StringAssert.Contains(notFound.Message, $"container.secrets names 'not-there', which Key Vault {vault.VaultUri} does not have");
        StringAssert.Contains(unconfigured.Message, "set BO_ACI_KEYVAULT_URI");
        StringAssert.Contains(invalid.Message, "[0-9a-zA-Z-]");
        Assert.AreEqual(0, aci.Arm.Count("PUT"));
        Assert.AreEqual(0, noVault.Arm.Count("PUT"));
    }

    private static FakeKeyVault Vault()
    {
        var vault = new FakeKeyVault();
        vault.Put("etl-db-password", Password);
        vault.Put("api-token", Token);
        return vault;
    }

    private static CommandRequest Request() =>
        AciHarness.Sh("echo hi", container: new { executor = "aci", image = "myacr.azurecr.io/etl:1.4", secrets = new[] { "etl-db-password", "API_TOKEN=api-token" } });

    private static Dictionary<string, JsonObject> Env(JsonObject definition) =>
        definition["properties"]!["containers"]![0]!["properties"]!["environmentVariables"]!.AsArray()
            .Cast<JsonObject>().ToDictionary(v => (string)v["name"]!, v => v);
}
