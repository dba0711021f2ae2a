using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Cli.Remote;

namespace BatchOrchestrator.Cli.Tests.Remote;

/// <summary><c>--token</c> shows in the process list; the token can come from a file instead.</summary>
[TestClass]
public sealed class ApiTokenTests
{
    [TestMethod]
    public void A_token_file_gives_the_token_and_a_bad_one_is_a_clear_error()
    {
        var folder = Directory.CreateTempSubdirectory("bo-token-").FullName;
        try
        {
            var file = Path.Combine(folder, "token");
            File.WriteAllText(file, "s3cr3t-token\n");
            Assert.AreEqual("s3cr3t-token", ApiToken.Resolve(null, file), "the file's text, without its line end");
            Assert.AreEqual("given", ApiToken.Resolve("given", file), "--token wins");

            File.WriteAllText(file, "\n");
            Assert.Contains("is empty", Assert.ThrowsExactly<UserError>(() => ApiToken.Resolve(null, file)).Message);
            Assert.Contains("cannot read the token file", Assert.ThrowsExactly<UserError>(() => ApiToken.Resolve(null, Path.Combine(folder, "missing"))).Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
