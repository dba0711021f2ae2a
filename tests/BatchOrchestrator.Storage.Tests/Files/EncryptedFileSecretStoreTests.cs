using System.Security.Cryptography;
using System.Text;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Storage.Tests.Files;

[TestClass]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EncryptedFileSecretStoreTests
{
    private const string Value = "Sup3r-s3cret-Value-42";

    private static SecretKeySource NewKey() => new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), "/nonexistent/secrets.key");

    [TestMethod]
    public async Task Values_round_trip_per_project_and_survive_a_new_store_on_the_same_file()
    {
        using var folder = new TempFolder();
        var key = NewKey();
        var store = EncryptedFileSecretStore.InStateFolder(folder.Path, key);

        await store.SetAsync("proj", "api.token", Value, CancellationToken.None);
        await store.SetAsync("proj", "db.password", "pw-1234", CancellationToken.None);
        await store.SetAsync("other", "api.token", "other-value", CancellationToken.None);
        await store.SetAsync("proj", "db.password", "pw-5678", CancellationToken.None);

        var reopened = EncryptedFileSecretStore.InStateFolder(folder.Path, key);
        Assert.AreEqual(Value, await reopened.GetAsync("proj", "api.token", CancellationToken.None));
        Assert.AreEqual("pw-5678", await reopened.GetAsync("proj", "db.password", CancellationToken.None));
        Assert.AreEqual("other-value", await reopened.GetAsync("other", "api.token", CancellationToken.None));
        Assert.IsNull(await reopened.GetAsync("proj", "missing", CancellationToken.None));
        Assert.IsTrue(await reopened.DeleteAsync("proj", "db.password", CancellationToken.None));
        Assert.IsFalse(await reopened.DeleteAsync("proj", "db.password", CancellationToken.None));
        Assert.IsNull(await store.GetAsync("proj", "db.password", CancellationToken.None));
    }

    [TestMethod]
    public async Task Listing_gives_sorted_names_and_never_values()
    {
        using var folder = new TempFolder();
        var store = EncryptedFileSecretStore.InStateFolder(folder.Path, NewKey());
        await store.SetAsync("proj", "z.last", Value, CancellationToken.None);
        await store.SetAsync("proj", "a.first", "another-value", CancellationToken.None);

        var names = await store.ListAsync("proj", CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "a.first", "z.last" }, names.ToArray());
        Assert.IsFalse(names.Any(n => n.Contains("value", StringComparison.OrdinalIgnoreCase)));
        Assert.IsEmpty(await store.ListAsync("nobody", CancellationToken.None));
    }

    [TestMethod]
    public async Task The_file_holds_no_name_or_value_in_plain_text_and_each_write_uses_a_fresh_nonce()
    {
        using var folder = new TempFolder();
        var store = EncryptedFileSecretStore.InStateFolder(folder.Path, NewKey());
        await store.SetAsync("proj", "api.token", Value, CancellationToken.None);
        var first = await File.ReadAllBytesAsync(store.Path);
        await store.SetAsync("proj", "api.token", Value, CancellationToken.None);
        var second = await File.ReadAllBytesAsync(store.Path);

        foreach (var text in new[] { Value, "api.token", "proj" })
        {
            Assert.AreEqual(-1, first.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)), text);
            Assert.AreEqual(-1, first.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)), text);
        }

        Assert.IsFalse(first.AsSpan(9, 12).SequenceEqual(second.AsSpan(9, 12)), "the nonce was reused");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
        Assert.IsEmpty(Directory.GetFiles(folder.Path, "*.tmp-*"));
    }

    [TestMethod]
    public async Task A_wrong_key_gives_a_clear_error_naming_the_file_and_the_key_source()
    {
        using var folder = new TempFolder();
        await EncryptedFileSecretStore.InStateFolder(folder.Path, NewKey()).SetAsync("proj", "api.token", Value, CancellationToken.None);
        var wrong = EncryptedFileSecretStore.InStateFolder(folder.Path, NewKey());

        var error = await Assert.ThrowsExactlyAsync<SecretStoreException>(() => wrong.GetAsync("proj", "api.token", CancellationToken.None));

        Assert.AreEqual($"{wrong.Path} cannot be decrypted with the key in $BO_SECRETS_KEY: it is not the key the file was written with, or the file was changed", error.Message);
        await Assert.ThrowsExactlyAsync<SecretStoreException>(() => wrong.SetAsync("proj", "x", "yyyy", CancellationToken.None));
    }

    [TestMethod]
    public async Task A_changed_file_and_a_malformed_key_are_refused_with_what_is_wrong()
    {
        using var folder = new TempFolder();
        var key = NewKey();
        var store = EncryptedFileSecretStore.InStateFolder(folder.Path, key);
        await store.SetAsync("proj", "api.token", Value, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(store.Path);
        bytes[^1] ^= 1;
        await File.WriteAllBytesAsync(store.Path, bytes);

        await Assert.ThrowsExactlyAsync<SecretStoreException>(() => store.GetAsync("proj", "api.token", CancellationToken.None));
        var malformed = EncryptedFileSecretStore.InStateFolder(folder.Path, key with { EnvironmentValue = "bm90IDMyIGJ5dGVz" });
        var error = await Assert.ThrowsExactlyAsync<SecretStoreException>(() => malformed.ListAsync("proj", CancellationToken.None));
        Assert.StartsWith("$BO_SECRETS_KEY must be the base64 of 32 random bytes", error.Message);
    }

    [TestMethod]
    public async Task A_missing_key_file_is_created_owner_only_on_first_write_but_never_for_an_existing_file()
    {
        using var folder = new TempFolder();
        var key = new SecretKeySource(null, folder.File("config/secrets.key"));
        var store = EncryptedFileSecretStore.InStateFolder(folder.File("state"), key);

        Assert.IsEmpty(await store.ListAsync("proj", CancellationToken.None));
        Assert.IsFalse(File.Exists(key.KeyFile), "reading an empty store needs no key");
        await store.SetAsync("proj", "api.token", Value, CancellationToken.None);

        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key.KeyFile));
        Assert.AreEqual(Value, await EncryptedFileSecretStore.InStateFolder(folder.File("state"), key).GetAsync("proj", "api.token", CancellationToken.None));
        File.Delete(key.KeyFile);
        var error = await Assert.ThrowsExactlyAsync<SecretStoreException>(() => store.SetAsync("proj", "other", "value", CancellationToken.None));
        Assert.Contains("is missing, but secrets were encrypted with a key", error.Message);
        Assert.IsFalse(File.Exists(key.KeyFile));
    }
}
