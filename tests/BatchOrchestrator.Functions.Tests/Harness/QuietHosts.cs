namespace BatchOrchestrator.Functions.Tests.Harness;

[TestClass]
public static class QuietHosts
{
    /// <summary>
    /// The test host's gRPC sidecar is a default ASP.NET Core host that logs every request at
    /// Information to the console, and takes no logging options; its configuration reads the
    /// environment, so warnings and errors only.
    /// </summary>
    [AssemblyInitialize]
    public static void Initialize(TestContext context) => Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
}
