using System.Diagnostics;
using System.Text;
using BatchOrchestrator.Language.Projects;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Tests.TestSupport;

namespace BatchOrchestrator.Language.Tests.Syntax;

/// <summary>Files above <see cref="YamlLimits.MaxFileBytes"/> (8 MB) are refused before they are read.</summary>
[TestClass]
public sealed class SizeLimitTests
{
    private const int TenMegabytes = 10 * 1024 * 1024;

    [TestMethod]
    public async Task A_10_MB_file_is_refused_quickly_with_its_size_and_the_limit()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.Write("huge.dig", HugeWorkflow());

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.AreEqual($"{path}:1:1: the file is 10.0 MB; workflow files are limited to 8 MB (split it with !include or call>)", error.ToString());
    }

    [TestMethod]
    public async Task A_10_MB_upload_given_as_text_is_refused_like_a_file()
    {
        // LoadTextAsync used to parse text of any size.
        var stopwatch = Stopwatch.StartNew();

        var result = await new WorkflowLoader(TestSupport.HostOperators.Catalog).LoadTextAsync("upload.dig", HugeWorkflow(), CancellationToken.None);

        var error = TempWorkflowDirectory.SingleError(result);
        Assert.AreEqual("upload.dig:1:1: the file is 10.0 MB; workflow files are limited to 8 MB (split it with !include or call>)", error.ToString());
        Assert.IsTrue(stopwatch.Elapsed < TempWorkflowDirectory.TimeGuard, $"took {stopwatch.Elapsed}");
    }

    /// <summary>A plausible (if absurd) workflow of exactly 10 MB: many small tasks.</summary>
    private static string HugeWorkflow()
    {
        var text = new StringBuilder(TenMegabytes);
        for (var i = 0; text.Length < TenMegabytes - 64; i++)
        {
            text.Append("+task").Append(i).Append(":\n  sh>: echo ").Append(i).Append('\n');
        }

        text.Append('#', TenMegabytes - text.Length - 1).Append('\n');
        return text.ToString();
    }
}
