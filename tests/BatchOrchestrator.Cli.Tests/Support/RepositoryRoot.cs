namespace BatchOrchestrator.Cli.Tests.Support;

/// <summary>The repository the tests run from (the folder holding BatchOrchestrator.sln): for what ships in it, as shipped.</summary>
internal static class RepositoryRoot
{
    public static string Folder { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BatchOrchestrator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new AssertFailedException("repository root not found");
    }
}
