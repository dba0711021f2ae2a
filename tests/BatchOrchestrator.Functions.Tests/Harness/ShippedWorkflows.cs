namespace BatchOrchestrator.Functions.Tests.Harness;

/// <summary>
/// The <c>workflows/</c> folder the Functions app ships (its project reference copies it next to
/// the tests, as into the app's package), under the app's default project name.
/// </summary>
internal static class ShippedWorkflows
{
    public const string ProjectName = "workflows";

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "workflows");

    public static void CopyTo(string target)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Directory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}
