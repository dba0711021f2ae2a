namespace BatchOrchestrator.Language.Tests.TestSupport;

/// <summary>
/// The team's shared folder beside the repository (<c>../shared</c>), found by walking up from the test
/// binaries: here and in CI (a fresh clone with ../shared beside it) the repository's parent holds it.
/// </summary>
internal static class SharedFolder
{
    /// <summary>The folder <paramref name="relative"/> (such as <c>compat/digdag</c>) under shared/; fails the test when it is missing.</summary>
    public static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"no shared/{relative} folder above {AppContext.BaseDirectory}; it is expected in ../shared beside the repository");
        return string.Empty;
    }
}
