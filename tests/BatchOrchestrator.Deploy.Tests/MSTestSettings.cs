using BatchOrchestrator.Deploy.Tests.Support;

[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]

namespace BatchOrchestrator.Deploy.Tests;

[TestClass]
public static class AssemblyHooks
{
    /// <summary>A package published by the tests themselves (no BO_FUNCTIONS_PUBLISH_DIR) is not left behind.</summary>
    [AssemblyCleanup]
    public static void DeletePublishedPackage() => FunctionsPackage.DeleteTemporary();
}
