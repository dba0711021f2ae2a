using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Cli.Tests.Commands;

[TestClass]
public sealed class SecretsCommandTests
{
    [TestMethod]
    public async Task Set_from_an_argument_and_from_stdin_list_names_only_and_delete()
    {
        var root = Directory.CreateTempSubdirectory("bo-secrets-cli-").FullName;
        try
        {
            var projectDirectory = Directory.CreateDirectory(Path.Combine(root, "proj")).FullName;
            var key = new SecretKeySource(null, Path.Combine(root, "secrets.key"));

            async Task<(int Code, string Output, string Error)> RunAsync(SecretsRequest request, string stdin = "")
            {
                using var output = new StringWriter();
                using var error = new StringWriter();
                var code = await new SecretsCommand(new StringReader(stdin), output, error).RunAsync(request with { ProjectDirectory = projectDirectory }, key, CancellationToken.None);
                return (code, output.ToString(), error.ToString());
            }

            Assert.AreEqual(0, (await RunAsync(new SecretsRequest("api.token=value-one", null, false, null, null))).Code);
            Assert.AreEqual(0, (await RunAsync(new SecretsRequest("db.password", null, false, null, null), "value-two\n")).Code);
            var list = await RunAsync(new SecretsRequest(null, null, true, null, null));
            Assert.AreEqual($"api.token{Environment.NewLine}db.password{Environment.NewLine}", list.Output);

            var store = EncryptedFileSecretStore.InStateFolder(Path.Combine(projectDirectory, ".bo"), key);
            Assert.AreEqual("value-two", await store.GetAsync("proj", "db.password", CancellationToken.None));
            Assert.AreEqual(0, (await RunAsync(new SecretsRequest(null, "api.token", false, null, null))).Code);
            var missing = await RunAsync(new SecretsRequest(null, "api.token", false, null, null));
            Assert.AreEqual(1, missing.Code);
            Assert.Contains("secret 'api.token' is not set for project 'proj'", missing.Error);
            Assert.AreEqual(2, (await RunAsync(new SecretsRequest("x=y", null, true, null, null))).Code);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
