using System.Text.Json;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Secrets;

namespace BatchOrchestrator.Engine.Tests.Secrets;

[TestClass]
public sealed class SecretMaskerTests
{
    [TestMethod]
    public void Every_occurrence_is_masked_and_the_longest_value_wins()
    {
        var masker = new SecretMasker(["abcd", "abcdefgh"]);

        Assert.AreEqual("x***y *** ***", masker.Mask("xabcdefghy abcd abcd"));
    }

    [TestMethod]
    public void Values_shorter_than_four_characters_are_not_masked()
    {
        var masker = new SecretMasker(["abc", "", "wxyz"]);

        Assert.AreEqual("abc ***", masker.Mask("abc wxyz"));
        Assert.AreEqual(4, masker.MaxLength);
        Assert.IsTrue(new SecretMasker(["abc"]).IsEmpty);
    }

    [TestMethod]
    public void A_value_split_at_any_place_over_two_or_three_pieces_is_never_written_unmasked()
    {
        const string secret = "s3cr3t-Value";
        var masker = new SecretMasker([secret, "cr3t-V"]);
        var text = $"token={secret}\nagain {secret}{secret} end s3cr3";
        var expected = masker.Mask(text);
        for (var first = 0; first <= text.Length; first++)
        {
            for (var second = first; second <= text.Length; second++)
            {
                var written = new List<string>();
                var held = string.Empty;
                foreach (var piece in new[] { text[..first], text[first..second], text[second..] })
                {
                    written.Add(masker.MaskStream(held + piece, final: false, out held));
                }

                written.Add(masker.MaskStream(held, final: true, out held));

                Assert.AreEqual(expected, string.Concat(written), $"split at {first}, {second}");
                Assert.IsFalse(written.Any(w => w.Contains("s3cr3t-V", StringComparison.Ordinal)), $"split at {first}, {second}");
                Assert.AreEqual(string.Empty, held);
            }
        }
    }

    [TestMethod]
    public void Streaming_holds_back_less_than_the_longest_value()
    {
        var masker = new SecretMasker(["abcdef"]);

        var written = masker.MaskStream("hello abc", final: false, out var rest);

        Assert.AreEqual("hell", written);
        Assert.AreEqual("o abc", rest);
    }

    [TestMethod]
    public void Streaming_never_cuts_a_surrogate_pair()
    {
        var masker = new SecretMasker(["abcd"]);

        var written = masker.MaskStream("x😀yz", final: false, out var rest);

        Assert.AreEqual("x", written);
        Assert.AreEqual("😀yz", rest);
    }

    [TestMethod]
    public void Json_string_values_are_masked_at_any_depth()
    {
        var masker = new SecretMasker(["hunter22"]);
        var json = JsonSerializer.SerializeToElement(new { a = "pw=hunter22", b = new[] { new { c = "hunter22" } }, n = 3 });

        var masked = masker.Mask(json);

        Assert.AreEqual("""{"a":"pw=***","b":[{"c":"***"}],"n":3}""", masked.GetRawText());
    }

    [TestMethod]
    public void A_failure_revealing_a_value_is_redacted_without_its_inner_exceptions()
    {
        var masker = new SecretMasker(["hunter22"]);
        var inner = new InvalidOperationException("inner hunter22");
        var failure = new TaskFailure("outer", inner);

        Assert.IsTrue(masker.Reveals(failure));
        var redacted = masker.Redact(new TaskFailure("bad hunter22", retryable: false));
        Assert.AreEqual("bad ***", redacted.Message);
        Assert.IsFalse(redacted.Retryable);
        Assert.IsNull(redacted.InnerException);
        Assert.AreEqual("System.InvalidOperationException: inner ***", masker.Redact(inner).Message);
        Assert.IsFalse(masker.Reveals(new InvalidOperationException("nothing here")));
    }

    [TestMethod]
    public void Task_results_are_masked_in_every_field()
    {
        var masker = new SecretMasker(["hunter22"]);
        var result = new TaskResult
        {
            StoreParams = JsonSerializer.SerializeToElement(new { leaked = "hunter22" }),
            ExportParams = JsonSerializer.SerializeToElement(new { x = "a hunter22" }),
            ResetStoreParams = ["hunter22"],
        };

        var masked = masker.Mask(result);

        Assert.AreEqual("""{"leaked":"***"}""", masked.StoreParams!.Value.GetRawText());
        Assert.AreEqual("""{"x":"a ***"}""", masked.ExportParams!.Value.GetRawText());
        Assert.AreEqual("***", masked.ResetStoreParams[0]);
    }

    [TestMethod]
    public void No_field_of_a_task_result_keeps_a_secret_subtasks_and_poll_state_included()
    {
        // Every field is set from its type, so a field added later (or one left out of Mask) fails here.
        var masker = new SecretMasker(["hunter22"]);
        var json = JsonSerializer.SerializeToElement(new { deep = new { list = new[] { "x hunter22" } } });
        var result = TaskResult.Empty;
        foreach (var property in typeof(TaskResult).GetProperties().Where(p => p.CanWrite))
        {
            object value = property.PropertyType switch
            {
                var t when t == typeof(JsonElement?) => json,
                var t when t == typeof(IReadOnlyList<string>) => new[] { "hunter22" },
                var t when t == typeof(OperatorPoll) => new OperatorPoll(TimeSpan.FromSeconds(1), json),
                var t => throw new AssertFailedException($"TaskResult.{property.Name} is a {t.Name}: say here how it holds a secret, and mask it"),
            };
            var copy = result with { };
            property.SetValue(copy, value);
            result = copy;
        }

        var text = JsonSerializer.Serialize(masker.Mask(result));

        Assert.DoesNotContain("hunter22", text);
        Assert.Contains("***", text);
        Assert.AreEqual(TimeSpan.FromSeconds(1), masker.Mask(result).PollAgain!.After);
    }
}
