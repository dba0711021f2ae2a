using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Tests.Scheduling;
using BatchOrchestrator.Language.Time;

namespace BatchOrchestrator.Language.Tests.Time;

[TestClass]
public sealed class DurationTextTests
{
    [TestMethod]
    [DataRow("30s", 30)]
    [DataRow("3m", 180)]
    [DataRow("1h 30m", 5400)]
    [DataRow("2d", 172_800)]
    [DataRow("3d21h13m17s", 335_597)]
    [DataRow("3d 21h 13m 17s ", 335_597)]
    [DataRow(" 13 M 17 S ", 797)]
    [DataRow("17S", 17)]
    [DataRow("0s", 0)]
    public void Digdag_durations_parse_to_their_seconds(string text, long seconds)
    {
        Assert.IsTrue(DurationText.TryParse(text, out var duration));
        Assert.AreEqual(TimeSpan.FromSeconds(seconds), duration);
    }

    [TestMethod]
    public void A_bare_whole_number_is_seconds()
    {
        Assert.AreEqual(TimeSpan.FromSeconds(90), DurationText.Parse("90"));
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow("1 7s")]
    [DataRow("-4s")]
    [DataRow("foobar")]
    [DataRow("3 minutes")]
    [DataRow("1m 30")]
    [DataRow("30s 1m")]
    [DataRow("1h 1h")]
    [DataRow("1.5h")]
    [DataRow("99999999999999999999s")]
    [DataRow("999999999999999d")]
    public void Anything_else_is_not_a_duration(string text)
    {
        Assert.IsFalse(DurationText.TryParse(text, out _));
    }

    [TestMethod]
    public void A_parse_error_says_what_a_duration_looks_like()
    {
        var error = Assert.ThrowsExactly<FormatException>(() => DurationText.Parse("3 minutes"));
        Assert.AreEqual("expected a duration like 30s, 3m, 1h 30m or 2d (units d, h, m, s, in that order), got '3 minutes'", error.Message);
    }

    [TestMethod]
    [DataRow(0, "0s")]
    [DataRow(17, "17s")]
    [DataRow(5400, "1h 30m")]
    [DataRow(335_597, "3d 21h 13m 17s")]
    public void Formatting_gives_the_text_a_user_would_write(long seconds, string text)
    {
        Assert.AreEqual(text, DurationText.Format(TimeSpan.FromSeconds(seconds)));
        Assert.AreEqual(TimeSpan.FromSeconds(seconds), DurationText.Parse(text));
    }

    [TestMethod]
    public void Reading_an_option_reports_a_bad_value_where_it_is_written()
    {
        var node = TestYaml.Parse("skip_delayed_by: 3 minutes\n");
        var value = ((BatchOrchestrator.Language.Syntax.MappingNode)node).Get("skip_delayed_by")!;
        var diagnostics = new DiagnosticBag();

        Assert.IsNull(DurationText.Read(value, "skip_delayed_by", diagnostics));

        Assert.AreEqual(
            "wf.dig:1:18: skip_delayed_by: expected a duration like 30s, 3m, 1h 30m or 2d (units d, h, m, s, in that order), got '3 minutes'",
            diagnostics.Items.Single().ToString());
    }

    [TestMethod]
    public void Reading_an_option_accepts_a_yaml_integer_as_seconds()
    {
        var node = (BatchOrchestrator.Language.Syntax.MappingNode)TestYaml.Parse("interval: 120\n");
        var diagnostics = new DiagnosticBag();

        Assert.AreEqual(TimeSpan.FromMinutes(2), DurationText.Read(node.Get("interval")!, "interval", diagnostics));
        Assert.IsEmpty(diagnostics.Items);
    }
}
