using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Server.Projects;
using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Server.Tests.Projects;

/// <summary>The project contract on <c>bo server</c>'s state folder.</summary>
[TestClass]
public sealed class LocalProjectCatalogTests : ProjectRepositoryContractTests
{
    private readonly string _state = Directory.CreateTempSubdirectory("bo-projects-").FullName;

    protected override Task<(IProjectRepository Repository, IProjectRevisionStore Revisions)> OpenAsync()
    {
        var revisions = new FileProjectRevisionStore(Path.Combine(_state, "revisions"));
        return Task.FromResult<(IProjectRepository, IProjectRevisionStore)>((new LocalProjectCatalog(null, null, _state, revisions, TimeProvider.System), revisions));
    }

    [TestCleanup]
    public void DeleteState() => Directory.Delete(_state, recursive: true);
}
