using System.Text;
using BatchOrchestrator.Language.Tests.TestSupport;

namespace BatchOrchestrator.Language.Tests.Syntax;

/// <summary>Workflow files are UTF-8; anything else is reported at the first bad byte, as line:col.</summary>
[TestClass]
public sealed class EncodingTests
{
    [TestMethod]
    public async Task A_latin1_file_is_rejected_at_the_first_non_UTF8_byte()
    {
        using var dir = new TempWorkflowDirectory();
        var path = dir.WriteBytes("wf.dig", Encoding.Latin1.GetBytes("+a:\n  echo>: café\n"));

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.AreEqual($"{path}:2:13: the file is not valid UTF-8 (byte 0xE9); save workflow files as UTF-8", error.ToString());
    }

    [TestMethod]
    public async Task The_position_of_a_bad_byte_is_right_after_a_BOM_and_long_lines()
    {
        using var dir = new TempWorkflowDirectory();
        var text = "# " + new string('é', 40_000) + "\n" + "# " + new string('y', 70_000) + "\n+a:\n  echo>: caf";
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text), 0xE9, (byte)'\n'];
        var path = dir.WriteBytes("wf.dig", bytes);

        var error = TempWorkflowDirectory.SingleError(await TempWorkflowDirectory.CheckAsync(path));

        Assert.StartsWith($"{path}:4:13: the file is not valid UTF-8 (byte 0xE9)", error.ToString());
    }
}
