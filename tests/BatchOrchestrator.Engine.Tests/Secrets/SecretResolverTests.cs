using System.Text.Json;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Tests.Support;

namespace BatchOrchestrator.Engine.Tests.Secrets;

[TestClass]
public sealed class SecretResolverTests
{
    private static readonly TaskLogKey Log = new("proj", "wf", "2026-11-21", "a1", "+wf+task", 0);

    private static async Task<MemorySecretStore> StoreAsync()
    {
        var store = new MemorySecretStore();
        await store.SetAsync("proj", "api.token", "tok-123456", CancellationToken.None);
        await store.SetAsync("proj", "db.password", "pw-abcdef", CancellationToken.None);
        await store.SetAsync("other", "api.token", "not-this-one", CancellationToken.None);
        return store;
    }

    [TestMethod]
    public async Task References_are_replaced_with_the_projects_values_and_collected_for_masking()
    {
        var resolver = new SecretResolver(await StoreAsync(), "proj");

        var text = await resolver.ResolveAsync("curl -H 'X: ${secret:api.token}' ${ secret:nope } ${secret: db.password }", CancellationToken.None);

        Assert.AreEqual("curl -H 'X: tok-123456' ${ secret:nope } pw-abcdef", text);
        Assert.AreEqual("*** ***", resolver.Masker.Mask("tok-123456 pw-abcdef"));
    }

    [TestMethod]
    public async Task Json_is_resolved_at_any_depth_and_left_exactly_as_it_was_without_references()
    {
        var resolver = new SecretResolver(await StoreAsync(), "proj");
        var plain = JsonDocument.Parse("""{ "a" : "x",  "n": 1.50 }""").RootElement;
        var nested = JsonSerializer.SerializeToElement(new { auth = new { user = "me", password = "${secret:db.password}" }, list = new[] { "${secret:api.token}" } });

        Assert.AreEqual(plain.GetRawText(), (await resolver.ResolveAsync(plain, CancellationToken.None)).GetRawText());
        Assert.AreEqual("""{"auth":{"user":"me","password":"pw-abcdef"},"list":["tok-123456"]}""", (await resolver.ResolveAsync(nested, CancellationToken.None)).GetRawText());
    }

    [TestMethod]
    public async Task A_missing_key_fails_the_task_naming_the_key_and_not_retryably()
    {
        var resolver = new SecretResolver(await StoreAsync(), "proj");

        var failure = await Assert.ThrowsExactlyAsync<TaskFailure>(() => resolver.ResolveAsync("${secret:api.token} ${secret:missing.key}", CancellationToken.None));

        Assert.Contains("secret 'missing.key' is not set for project 'proj'", failure.Message);
        Assert.DoesNotContain("tok-123456", failure.Message);
        Assert.IsFalse(failure.Retryable);
    }

    [TestMethod]
    public async Task An_invalid_key_and_an_unreadable_store_fail_the_task_with_the_reason()
    {
        var store = await StoreAsync();
        var invalid = await Assert.ThrowsExactlyAsync<TaskFailure>(() => new SecretResolver(store, "proj").ResolveAsync("${secret:a b}", CancellationToken.None));
        Assert.Contains("${secret:a b} does not name a valid secret key", invalid.Message);

        store.Failure = new SecretStoreException("secrets.enc cannot be decrypted with the key file k");
        var unreadable = await Assert.ThrowsExactlyAsync<TaskFailure>(() => new SecretResolver(store, "proj").ResolveAsync("${secret:api.token}", CancellationToken.None));
        Assert.AreEqual("secret 'api.token' could not be read: secrets.enc cannot be decrypted with the key file k", unreadable.Message);
    }

    [TestMethod]
    public async Task A_command_is_resolved_in_arguments_environment_and_files_and_its_keys_are_named_without_values()
    {
        var resolver = new SecretResolver(await StoreAsync(), "proj");
        var command = new CommandRequest
        {
            AttemptId = "a1",
            TaskName = "+wf+task",
            Command = ["/bin/sh", "-c", "echo ${secret:api.token}"],
            Environment = new Dictionary<string, string> { ["PW"] = "${secret:db.password}", ["PLAIN"] = "x" },
            Files = new Dictionary<string, string> { ["task.json"] = """{"p":"${secret:api.token}"}""" },
            WorkingDirectory = "/tmp",
            Log = Log,
        };

        var resolved = await resolver.ResolveAsync(command, CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "api.token", "db.password" }, SecretReferences.In(command).ToArray());
        Assert.AreEqual("echo tok-123456", resolved.Command[2]);
        Assert.AreEqual("pw-abcdef", resolved.Environment["PW"]);
        Assert.AreEqual("x", resolved.Environment["PLAIN"]);
        Assert.AreEqual("""{"p":"tok-123456"}""", resolved.Files["task.json"]);
    }
}
