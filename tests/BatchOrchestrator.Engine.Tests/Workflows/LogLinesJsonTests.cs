using System.Text;
using System.Text.Json;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Engine.Workflows.Activities;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// Log lines written by the orchestrator (<c>echo&gt;</c>) ride in activity inputs and part results,
/// which the runtime keeps in its history: a line names its attempt once per batch, not on every
/// line, and reads back as the same lines in the same order on both hosts' serializers.
/// </summary>
[TestClass]
public sealed class LogLinesJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web); // the Functions app's serializer

    private static TaskLogKey Key(string attempt, int task, int tryNumber = 1) =>
        new("ad_report", "daily", "2026-12-06T00:00:00Z", attempt, $"+daily+echo+n{task}", tryNumber);

    [TestMethod]
    public void A_batch_of_one_attempts_echo_lines_costs_the_task_try_and_text_of_each_line()
    {
        var lines = Enumerable.Range(1, 100).Select(i => new WriteLogInput(Key("attempt-1", i), $"n{i}\n")).ToList();
        var input = new RecordTasksInput { Writes = new PendingWrites([], lines) };

        var json = JsonDataConverter.Default.Serialize(input)!;

        // A line: {"task":"\u002Bdaily\u002Becho\u002Bn100","try":1,"text":"n100\n"} and a comma, 66 bytes at most;
        // with the whole key on each line it was 180.
        Assert.IsLessThan(100 * 70, Encoding.UTF8.GetByteCount(json));
        Assert.AreEqual(1, CountOf(json, "\"sessionTime\""), json);
        Assert.AreEqual(JsonSerializer.Serialize(input, Web), json, "both hosts write the same JSON");
    }

    [TestMethod]
    public void Lines_of_several_attempts_and_tries_read_back_as_written_in_their_order()
    {
        List<WriteLogInput> lines =
        [
            new(Key("attempt-1", 1), "a\n"),
            new(Key("attempt-1", 2, tryNumber: 2), "ünïcödé + \"quoted\" <tag>\n"),
            new(Key("attempt-2", 1), "b\n"),
            new(Key("attempt-1", 1), "c\n"),
            new(Key("attempt-1", 1) with { SessionTime = "2026-12-07T00:00:00Z" }, ""),
        ];
        var input = new RecordTasksInput { Writes = new PendingWrites([], lines) };

        var embedded = JsonDataConverter.Default.Deserialize<RecordTasksInput>(JsonDataConverter.Default.Serialize(input))!;
        var functions = JsonSerializer.Deserialize<RecordTasksInput>(JsonSerializer.Serialize(input, Web), Web)!;

        CollectionAssert.AreEqual(lines, embedded.Writes!.Logs.ToList());
        CollectionAssert.AreEqual(lines, functions.Writes!.Logs.ToList());
    }

    [TestMethod]
    public void Lines_that_carry_their_whole_key_as_histories_of_earlier_versions_do_are_read()
    {
        const string Earlier = """
            {"writes":{"records":[],"logs":[{"log":{"project":"ad_report","workflow":"daily","sessionTime":"2026-12-06T00:00:00Z","attempt":"attempt-1","taskName":"\u002Bdaily\u002Becho\u002Bn1","try":1},"text":"n1\n"}],"isEmpty":false}}
            """;

        var input = JsonDataConverter.Default.Deserialize<RecordTasksInput>(Earlier)!;

        CollectionAssert.AreEqual(new[] { new WriteLogInput(Key("attempt-1", 1), "n1\n") }, input.Writes!.Logs.ToList());
    }

    [TestMethod]
    public void A_line_without_its_text_is_a_json_error_not_an_empty_log()
    {
        const string Broken = """
            {"writes":{"records":[],"logs":[{"project":"p","workflow":"w","sessionTime":"s","attempt":"attempt-1","lines":[{"task":"+w+a","try":1}]}]}}
            """;

        Assert.ThrowsExactly<DataConversionException>(() => JsonDataConverter.Default.Deserialize<RecordTasksInput>(Broken));
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
