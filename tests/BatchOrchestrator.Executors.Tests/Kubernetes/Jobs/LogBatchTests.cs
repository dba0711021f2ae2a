using System.Globalization;
using System.Text;
using BatchOrchestrator.Executors.Kubernetes.Jobs;
using BatchOrchestrator.Executors.Kubernetes.Logs;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Jobs;

[TestClass]
public sealed class LogBatchTests
{
    private const string Token = "t0k";

    [TestMethod]
    public void The_wrappers_fresh_line_read_before_its_output_block_never_reaches_the_task_log()
    {
        // A poll that lands after the wrapper's fresh line but before its output block.
        string[] early = ["hello", "world", ""];
        string[] whole = [.. early, CommandWrapper.BeginMarker(Token), Convert.ToBase64String(Encoding.UTF8.GetBytes("answer=42\n")), CommandWrapper.EndMarker(Token)];

        var first = LogBatch.Read(Timestamped(early), new LogCursor(), Token, final: false);
        var last = LogBatch.Read(Timestamped(whole), first.Cursor, Token, final: true);

        Assert.AreEqual("hello\nworld\n", first.NewText + last.NewText);
        Assert.AreEqual("answer=42\n", last.Output);
    }

    [TestMethod]
    public void An_empty_line_the_script_printed_is_copied_once_what_follows_it_is_read()
    {
        var first = LogBatch.Read(Timestamped(["a", ""]), new LogCursor(), Token, final: false);
        var second = LogBatch.Read(Timestamped(["a", "", "b"]), first.Cursor, Token, final: false);

        Assert.AreEqual("a\n\nb\n", first.NewText + second.NewText);
    }

    private static string Timestamped(string[] lines)
    {
        var result = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            result.Append(CultureInfo.InvariantCulture, $"2026-11-21T00:00:{i:00}.000000001Z {lines[i]}\n");
        }

        return result.ToString();
    }
}
