using System.Text.Json;
using BatchOrchestrator.Language.Parameters;

namespace BatchOrchestrator.Language.Tests.Parameters;

/// <summary>
/// The values every task's params are made of (its <c>task_name</c> built-in, each rendered string):
/// the text a user sees in <c>${...}</c>, in <c>bo check</c>'s params and in <c>sh&gt;</c>'s
/// environment, whatever the way they are built.
/// </summary>
[TestClass]
public sealed class JsonValuesTests
{
    [TestMethod]
    public void A_string_keeps_its_text_and_is_written_with_relaxed_escaping()
    {
        var value = JsonValues.String("+main+n1 <sh> \"q\" é");

        Assert.AreEqual(JsonValueKind.String, value.ValueKind);
        Assert.AreEqual("+main+n1 <sh> \"q\" é", value.GetString());
        Assert.AreEqual("\"+main+n1 <sh> \\\"q\\\" é\"", value.GetRawText());
        Assert.AreEqual(JsonValueKind.Null, JsonValues.String(null!).ValueKind);
    }

    [TestMethod]
    public void Strings_that_need_escapes_or_are_long_are_the_same_as_the_writer_makes_them()
    {
        string[] texts = ["", "+main+n1", "tab\there", "back\\slash", "quote\"d", "line\nbreak", "日本語 é <sh>", new('x', 256), new('x', 257), new('é', 300)];
        foreach (var text in texts)
        {
            var value = JsonValues.String(text);

            Assert.AreEqual(text, value.GetString());
            Assert.AreEqual(Written(text), value.GetRawText(), text);
        }

        static string Written(string text)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStringValue(text);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    [TestMethod]
    public void Numbers_and_built_values_are_written_as_given()
    {
        Assert.AreEqual("42", JsonValues.Number(42).GetRawText());
        Assert.AreEqual("1.5", JsonValues.Number(1.5).GetRawText());
        Assert.ThrowsExactly<ArgumentException>(() => JsonValues.Number(double.NaN));
        var built = JsonValues.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("cmd", "a>b");
            w.WriteEndObject();
        });
        Assert.AreEqual("""{"cmd":"a>b"}""", built.GetRawText());
    }

    [TestMethod]
    public void Values_can_be_kept_and_read_from_many_threads()
    {
        // Nothing to dispose: a set holding them is shared by the tasks of a run and kept after it.
        var name = JsonValues.String("+wf+task");
        var set = ParamSet.Parse("""{"task_name":"+wf+first","session_id":1}""").With("task_name", name);

        var read = Enumerable.Range(0, 8).AsParallel().Select(_ => set.Get("task_name").GetString()).ToList();

        CollectionAssert.AreEqual(Enumerable.Repeat("+wf+task", 8).ToList(), read);
        Assert.AreEqual("""{"task_name":"+wf+task","session_id":1}""", set.ToJsonString());
        Assert.AreEqual(JsonValueKind.String, name.Clone().ValueKind);
    }

    [TestMethod]
    public void Invalid_json_text_is_refused()
    {
        Assert.Throws<JsonException>(() => JsonValues.Parse("{\"a\":"), "a truncated object");
        Assert.AreEqual(JsonValueKind.Null, JsonValues.Null.ValueKind);
    }

    [TestMethod]
    public void Compact_text_drops_the_spacing_it_was_written_with_and_keeps_letters_and_plus_as_they_are()
    {
        var written = JsonValues.Parse("""{ "name" : "café +1 <b>", "list" : [ 1, 2.5, null ] }""");

        Assert.AreEqual("""{"name":"café +1 <b>","list":[1,2.5,null]}""", JsonValues.CompactText(written));
        Assert.AreEqual("\"line\\nnext \\\"quoted\\\"\"", JsonValues.CompactText(JsonValues.String("line\nnext \"quoted\"")));
    }
}
