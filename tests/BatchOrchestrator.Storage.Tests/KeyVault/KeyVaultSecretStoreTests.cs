using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Storage.KeyVault;

namespace BatchOrchestrator.Storage.Tests.KeyVault;

[TestClass]
public sealed class KeyVaultSecretStoreTests
{
    [TestMethod]
    public async Task A_secret_set_in_the_vault_is_read_back_after_the_challenge_with_a_token_for_the_vaults_scope_and_tenant()
    {
        using var vault = new FakeKeyVault();
        vault.Put("etl--db-2epassword", "p4ss-w0rd!");
        var store = Store(vault);

        var value = await store.GetAsync("etl", "db.password", CancellationToken.None);

        Assert.AreEqual("p4ss-w0rd!", value);
        Assert.AreEqual("GET /secrets/etl--db-2epassword 401", vault.Calls[0], "the SDK's first request carries no token and meets the challenge");
        Assert.AreEqual("GET /secrets/etl--db-2epassword 200", vault.Calls[1]);
        var token = vault.Credential.Requests.Single();
        CollectionAssert.AreEqual(new[] { "https://vault.azure.net/.default" }, token.Scopes);
        Assert.AreEqual(FakeKeyVault.Tenant, token.TenantId);
    }

    [TestMethod]
    public async Task A_secret_not_in_the_vault_is_not_set_and_a_disabled_one_or_a_missing_role_is_a_clear_store_error()
    {
        using var vault = new FakeKeyVault();
        vault.Put("etl--off", "value-off", enabled: false);
        var store = Store(vault);

        Assert.IsNull(await store.GetAsync("etl", "missing", CancellationToken.None));
        var disabled = await Assert.ThrowsExactlyAsync<SecretStoreException>(() => store.GetAsync("etl", "off", CancellationToken.None));
        vault.CanRead = false;
        var forbidden = await Assert.ThrowsExactlyAsync<SecretStoreException>(() => store.GetAsync("etl", "missing", CancellationToken.None));

        StringAssert.Contains(disabled.Message, "the secret is disabled");
        StringAssert.Contains(disabled.Message, "etl--off");
        StringAssert.Contains(forbidden.Message, "'Key Vault Secrets User' role");
        Assert.DoesNotContain("value-off", disabled.Message);
    }

    [TestMethod]
    public async Task Set_list_and_delete_keep_projects_apart_and_names_one_to_one_whatever_the_case_and_punctuation()
    {
        using var vault = new FakeKeyVault();
        var store = Store(vault);

        await store.SetAsync("etl", "db.password", "v1-dot", CancellationToken.None);
        await store.SetAsync("etl", "db_password", "v2-underscore", CancellationToken.None);
        await store.SetAsync("etl", "DB.password", "v3-upper", CancellationToken.None);
        await store.SetAsync("etl", "db-password", "v4-hyphen", CancellationToken.None);
        await store.SetAsync("reports", "db.password", "v5-other", CancellationToken.None);

        Assert.AreEqual("v1-dot", await store.GetAsync("etl", "db.password", CancellationToken.None));
        Assert.AreEqual("v2-underscore", await store.GetAsync("etl", "db_password", CancellationToken.None));
        Assert.AreEqual("v3-upper", await store.GetAsync("etl", "DB.password", CancellationToken.None));
        Assert.AreEqual("v4-hyphen", await store.GetAsync("etl", "db-password", CancellationToken.None));
        Assert.AreEqual("v5-other", await store.GetAsync("reports", "db.password", CancellationToken.None));
        CollectionAssert.AreEqual(new[] { "DB.password", "db-password", "db.password", "db_password" }, (await store.ListAsync("etl", CancellationToken.None)).ToArray(), "listed over several pages");
        Assert.AreEqual("etl", vault.TagsOf("etl--db-2epassword")[KeyVaultSecretStore.ProjectTag]);
        Assert.AreEqual("db.password", vault.TagsOf("etl--db-2epassword")[KeyVaultSecretStore.KeyTag]);

        Assert.IsTrue(await store.DeleteAsync("etl", "db.password", CancellationToken.None));
        Assert.IsFalse(await store.DeleteAsync("etl", "db.password", CancellationToken.None));
        Assert.IsNull(await store.GetAsync("etl", "db.password", CancellationToken.None));
        Assert.AreEqual("v5-other", await store.GetAsync("reports", "db.password", CancellationToken.None));
        var reuse = await Assert.ThrowsExactlyAsync<SecretStoreException>(() => store.SetAsync("etl", "db.password", "again", CancellationToken.None));
        StringAssert.Contains(reuse.Message, "az keyvault secret recover");
    }

    [TestMethod]
    public void Names_are_Key_Vault_names_that_decode_back_and_too_long_ones_are_refused()
    {
        foreach (var (project, key) in new[] { ("etl", "db.password"), ("My Project", "_x-y.Z"), ("日本", "api.token"), ("p--q", "a") })
        {
            var name = KeyVaultSecretNames.For(project, key);
            StringAssert.Matches(name, new System.Text.RegularExpressions.Regex("^[0-9a-zA-Z-]{1,127}$"));
            Assert.AreEqual(key, KeyVaultSecretNames.KeyOf(project, name));
            Assert.AreEqual(key, KeyVaultSecretNames.KeyOf(project, name.ToUpperInvariant()), "Key Vault may answer in another case");
        }

        Assert.AreEqual("etl--db-2epassword", KeyVaultSecretNames.For("etl", "db.password"));
        Assert.IsNull(KeyVaultSecretNames.KeyOf("etl", "etl2--x"), "another project's name");
        Assert.IsNull(KeyVaultSecretNames.KeyOf("etl", "etl--not-valid"), "a name nobody made with this mapping");
        Assert.ThrowsExactly<ArgumentException>(() => KeyVaultSecretNames.For("etl", new string('K', 60)));
    }

    private static KeyVaultSecretStore Store(FakeKeyVault vault)
    {
        var options = new SecretClientOptions { Transport = new HttpClientTransport(new HttpClient(vault)) };
        options.Retry.MaxRetries = 0;
        return new KeyVaultSecretStore(vault.VaultUri, vault.Credential, options);
    }
}
