using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.ThirdPartyOperator;

namespace BatchOrchestrator.ThirdPartyOperator.Tests;

/// <summary>
/// <c>bo check</c> as a host that registers the plug-in's operator runs it: the operator's own
/// options are validated at <c>file:line:col</c> with what was expected, with no change to the
/// Language or the Engine; a <c>bo</c> without the registration does not know the operator.
/// </summary>
[TestClass]
public sealed class WordCountCheckTests
{
    public TestContext TestContext { get; set; } = null!;

    private async Task<(int Exit, string Output)> CheckAsync(string workflow, bool registered = true)
    {
        var folder = Directory.CreateTempSubdirectory("bo-word-count-").FullName;
        try
        {
            var path = Path.Combine(folder, "wf.dig");
            await File.WriteAllTextAsync(path, workflow, TestContext.CancellationToken);
            var output = new StringWriter();
            var context = new CliContext(output, output) { ExtraOperators = registered ? [WordCountOperator.Definition] : [] };
            // What `bo check` runs, with the registry the host's engine would run with.
            var exit = await new CheckCommand(output, output, context.CreateOperators()).RunAsync([path], context.Now, TestContext.CancellationToken);
            return (exit, output.ToString().Replace(folder + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public async Task A_well_formed_task_of_the_plug_in_checks_clean()
    {
        var (exit, output) = await CheckAsync("+count:\n  word_count>: words.txt\n  min: 3\n");

        Assert.AreEqual(0, exit, output);
        Assert.Contains("+count  word_count> words.txt", output);
    }

    [TestMethod]
    public async Task A_bad_option_value_is_reported_at_its_position_with_the_expected_value()
    {
        var (exit, output) = await CheckAsync("+count:\n  word_count>: words.txt\n  min: many\n");

        Assert.AreEqual(1, exit, output);
        Assert.Contains("wf.dig:3:8: word_count> min: expected a whole number ≥ 0, got 'many'", output);
    }

    [TestMethod]
    public async Task A_missing_required_option_an_unknown_one_and_the_plug_ins_own_rule_are_reported()
    {
        var (exit, output) = await CheckAsync("+count:\n  word_count>: /etc/passwd\n  mni: 3\n");

        Assert.AreEqual(1, exit, output);
        Assert.Contains("wf.dig:2:3: word_count> needs 'min'", output);
        Assert.Contains("wf.dig:2:16: word_count> expected a file of the project (a relative path such as data/words.txt), got '/etc/passwd'", output);
        Assert.Contains("wf.dig:3:3: word_count> unknown option 'mni'; did you mean 'min'?", output);
    }

    [TestMethod]
    public async Task Without_the_registration_the_operator_is_unknown_with_a_did_you_mean()
    {
        var (exit, output) = await CheckAsync("+count:\n  word_count>: words.txt\n  min: 3\n", registered: false);

        Assert.AreEqual(1, exit, output);
        Assert.Contains("wf.dig:2:3: unknown operator 'word_count>'", output);
    }
}
