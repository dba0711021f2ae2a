using BatchOrchestrator.Determinism.Tests.Checker;
using BatchOrchestrator.Determinism.Tests.Seeded;
using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Determinism.Tests;

/// <summary>The checker finds violations seeded in this assembly (<see cref="SeededOrchestrator"/>), in every shape code hides them.</summary>
[TestClass]
public sealed class PurityCheckerTests
{
    private static readonly string Seeded = typeof(SeededOrchestrator).FullName!;

    private static PurityChecker NewChecker(IReadOnlyList<AllowedUse>? allowed = null, IReadOnlyList<UnfollowedImplementation>? unfollowed = null) =>
        new([typeof(SeededOrchestrator).Assembly.Location, typeof(IOrchestrationContext).Assembly.Location], allowed, unfollowed);

    private static IReadOnlyList<Violation> Check(string method, IReadOnlyList<AllowedUse>? allowed = null, IReadOnlyList<UnfollowedImplementation>? unfollowed = null)
    {
        var checker = NewChecker(allowed, unfollowed);
        return checker.Check(checker.Method(Seeded, method));
    }

    [TestMethod]
    public void FindsAFileReadBehindAnInterfaceAndNamesThePath()
    {
        var violations = Check(nameof(SeededOrchestrator.ThroughInterfaceAsync));

        var violation = violations.Single();
        Assert.AreEqual("System.IO.File::ReadAllText", violation.Api);
        Assert.AreEqual("file I/O", violation.Rule);
        CollectionAssert.AreEqual(
            new[]
            {
                "Determinism.Tests.Seeded.SeededOrchestrator::ThroughInterfaceAsync",
                "Determinism.Tests.Seeded.SeededOrchestrator::ThroughInterfaceAsync (async body)  [body]",
                "Determinism.Tests.Seeded.FileSeedSource::Read  [dispatch of BatchOrchestrator.Determinism.Tests.Seeded.ISeedSource::Read]",
                "System.IO.File::ReadAllText",
            },
            violation.Path.ToArray(),
            violation.ToString());
    }

    [TestMethod]
    [DataRow(nameof(SeededOrchestrator.InLambdaAsync), "System.DateTime::get_UtcNow", "SeededOrchestrator::InLambdaAsync (lambda)")]
    [DataRow(nameof(SeededOrchestrator.InLocalFunctionAsync), "System.Guid::NewGuid", "SeededOrchestrator::InLocalFunctionAsync.Fresh (local function)")]
    [DataRow(nameof(SeededOrchestrator.BlockingInAsyncAsync), "System.Runtime.CompilerServices.TaskAwaiter`1::GetResult", "SeededOrchestrator::BlockingInAsyncAsync (async body)")]
    [DataRow(nameof(SeededOrchestrator.BlockingResult), "System.Threading.Tasks.Task`1::get_Result", "SeededOrchestrator::BlockingResult")]
    [DataRow(nameof(SeededOrchestrator.ConfigureAwaitFalseAsync), "System.Threading.Tasks.Task`1::ConfigureAwait", "SeededOrchestrator::ConfigureAwaitFalseAsync (async body)")]
    [DataRow(nameof(SeededOrchestrator.StaticInitializer), "System.Environment::GetEnvironmentVariable", "Settings::.cctor")]
    [DataRow(nameof(SeededOrchestrator.HandedToTheBcl), "System.DateTime::get_Now", "Stamp::ToString")]
    [DataRow(nameof(SeededOrchestrator.OutsideStoreAsync), "BatchOrchestrator.Determinism.Tests.Seeded.IOutsideStore::LoadAsync", "SeededOrchestrator::OutsideStoreAsync (async body)")]
    public void FindsViolationsWhereverTheyHide(string method, string api, string site)
    {
        var violations = Check(method);

        var found = violations.SingleOrDefault(v => v.Api == api);
        Assert.IsNotNull(found, $"{api} not found from {method}; found: {string.Join(Environment.NewLine, violations)}");
        StringAssert.EndsWith(found.Path[^2].Split("  [")[0], site, found.ToString());
    }

    [TestMethod]
    public void AwaitsOfTheContextAndPureCodeAreFine()
    {
        var violations = Check(nameof(SeededOrchestrator.CleanAsync));

        Assert.IsEmpty(violations, string.Join(Environment.NewLine, violations));
    }

    [TestMethod]
    public void AnAllowanceSilencesItsSiteOnly()
    {
        var allowance = new AllowedUse("BatchOrchestrator.Determinism.Tests.Seeded.FileSeedSource::Read", "System.IO.File::", "seeded");
        var checker = NewChecker(allowed: [allowance]);

        var violations = checker.Check(checker.Method(Seeded, nameof(SeededOrchestrator.ThroughInterfaceAsync)), checker.Method(Seeded, nameof(SeededOrchestrator.InLambdaAsync)));

        Assert.AreEqual("System.DateTime::get_UtcNow", violations.Single().Api);
        Assert.Contains(allowance, checker.UsedAllowances);
    }

    [TestMethod]
    public void AnUnfollowedImplementationIsSkippedUntilOrchestratorCodeMakesOne()
    {
        UnfollowedImplementation unfollowed = new(typeof(FileSeedSource).FullName!, "seeded: only hosts make one");
        var checker = NewChecker(unfollowed: [unfollowed]);

        Assert.IsEmpty(checker.Check(checker.Method(Seeded, nameof(SeededOrchestrator.ThroughInterfaceAsync))));
        Assert.Contains(unfollowed, checker.UsedUnfollowed);

        var made = checker.Check(checker.Method(Seeded, nameof(SeededOrchestrator.MakesAFileSource)));
        Assert.AreEqual(typeof(FileSeedSource).FullName + "::.ctor", made.Single(v => v.Rule.StartsWith("creates", StringComparison.Ordinal)).Api);
        Assert.IsTrue(made.Any(v => v.Api == "System.IO.File::ReadAllText"), "a direct call is followed all the same");
    }
}
