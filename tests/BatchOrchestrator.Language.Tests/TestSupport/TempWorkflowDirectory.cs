using System.Diagnostics;
using System.Text;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Projects;

namespace BatchOrchestrator.Language.Tests.TestSupport;

/// <summary>A fresh temporary folder per test, for workflow files (and whatever they include); deleted on dispose.</summary>
internal sealed class TempWorkflowDirectory : IDisposable
{
    /// <summary>A failure guard only: every check here takes well under a second on a loaded machine.</summary>
    public static readonly TimeSpan TimeGuard = TimeSpan.FromSeconds(60);

    public TempWorkflowDirectory()
    {
        Root = Directory.CreateTempSubdirectory("bo-langtests-").FullName;
    }

    public string Root { get; }

    public string Write(string name, string text) => WriteBytes(name, Encoding.UTF8.GetBytes(text));

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Loads a workflow the way <c>bo check</c> does, failing the test if it takes longer than <see cref="TimeGuard"/>.</summary>
    public static async Task<WorkflowCheckResult> CheckAsync(string path)
    {
        var stopwatch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeGuard * 3);
        var result = await new WorkflowLoader(TestSupport.HostOperators.Catalog).LoadAsync(path, timeout.Token);
        Assert.IsTrue(stopwatch.Elapsed < TimeGuard, $"checking {Path.GetFileName(path)} took {stopwatch.Elapsed.TotalSeconds:0.0} s");
        return result;
    }

    /// <summary>The one error of an invalid result (its warnings aside), with the whole list in the failure message.</summary>
    public static Diagnostic SingleError(WorkflowCheckResult result)
    {
        Assert.IsFalse(result.IsValid, "the workflow was accepted");
        var errors = result.Errors.ToList();
        Assert.HasCount(1, errors, string.Join(Environment.NewLine, errors));
        return errors[0];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
