using System.Text.Json;
using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Workflows;
using BatchOrchestrator.Engine.Workflows.Params;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Parameters;
using BatchOrchestrator.Language.Syntax;
using BatchOrchestrator.Language.Templating;

namespace BatchOrchestrator.Engine.Tests.Workflows;

/// <summary>
/// The order of param contributions across the orchestrations of an attempt: an attempt, two
/// chunks it runs side by side, and a chunk one of them runs, as the interpreter hands their
/// clocks around.
/// </summary>
[TestClass]
public sealed class ParamSequenceTests
{
    private static readonly TaskParamsBuilder Builder = new(new TemplateEngine());

    [TestMethod]
    public void Chunks_contribute_after_their_parent_and_the_parent_continues_after_them_with_no_sequence_twice()
    {
        var attempt = new AttemptClock(0, null);
        var beforeChunks = new[] { attempt.Next(), attempt.Next() };

        // Started side by side, from the same clock.
        var first = new AttemptClock(attempt.Now, attempt.ChunkLane(1));
        var second = new AttemptClock(attempt.Now, attempt.ChunkLane(2));
        var firstBefore = first.Next();
        var secondMade = new[] { second.Next(), second.Next(), second.Next() };
        var nested = new AttemptClock(first.Now, first.ChunkLane(1));
        var nestedMade = new[] { nested.Next(), nested.Next() };
        first.MovePast(nested.Now);
        var firstAfter = first.Next();
        attempt.MovePast(first.Now);
        attempt.MovePast(second.Now);
        var afterChunks = attempt.Next();

        Assert.AreEqual(("1", "2", "1.1"), (first.Lane, second.Lane, nested.Lane));
        var all = beforeChunks.Concat([firstBefore, firstAfter, afterChunks]).Concat(secondMade).Concat(nestedMade).ToList();
        Assert.HasCount(all.Count, all.Distinct().ToList(), "every sequence of an attempt is unique");
        foreach (var chunkMade in secondMade.Concat(nestedMade).Append(firstBefore).Append(firstAfter))
        {
            Assert.IsGreaterThan(beforeChunks[^1], chunkMade, "a chunk's contributions come after its parent's before it started");
            Assert.IsLessThan(afterChunks, chunkMade, "the parent's contributions after the chunks returned come after theirs");
        }

        Assert.IsTrue(nestedMade.All(s => s > firstBefore && s < firstAfter), "the same one level down");
    }

    [TestMethod]
    public void Between_an_export_and_a_store_the_later_contribution_wins_across_orchestrations()
    {
        var attempt = new AttemptClock(0, null);
        var scope = ParamScope.Empty.WithExport(Json(new { marker = "parent's export" }), attempt.Next());
        var chunk = new AttemptClock(attempt.Now, attempt.ChunkLane(1));
        var stored = scope.WithStore(scope.Store.With(Json(new { marker = "chunk's store" }), [], chunk.Next()));

        Assert.AreEqual("chunk's store", Marker(stored), "stored in the chunk, after the parent exported");

        attempt.MovePast(chunk.Now);
        var exportedAfter = stored.WithExport(Json(new { marker = "parent's export after" }), attempt.Next());

        Assert.AreEqual("parent's export after", Marker(exportedAfter), "exported by the parent after the chunk returned");
    }

    [TestMethod]
    public void Two_contributions_with_one_sequence_are_still_refused()
    {
        var sequence = new ParamSequence(4, "2.1");
        var scope = ParamScope.Empty.WithExport(Json(new { marker = "export" }), sequence);
        scope = scope.WithStore(scope.Store.With(Json(new { marker = "store" }), [], sequence));

        var error = Assert.ThrowsExactly<ArgumentException>(() => Marker(scope));

        Assert.Contains("same sequence number", error.Message);
    }

    [TestMethod]
    public void A_scope_crosses_to_a_chunk_with_its_sequences_written_small()
    {
        var scope = ParamScope.Empty.WithExport(Json(new { marker = "x" }), new ParamSequence(3));
        scope = scope.WithStore(scope.Store
            .With(Json(new { a = 1 }), [], new ParamSequence(5))
            .With(Json(new { b = 2 }), [], new ParamSequence(5, "3.12")));

        var json = JsonDataConverter.Default.Serialize(scope)!;
        var read = JsonDataConverter.Default.Deserialize<ParamScope>(json)!;

        StringAssert.Contains(json, "\"sequence\":5}", json);
        StringAssert.Contains(json, "\"sequence\":\"5@3.12\"", json);
        Assert.AreEqual(new ParamSequence(3), read.Exports.Single().Sequence);
        CollectionAssert.AreEqual(
            scope.Store.Values.Select(v => (v.Key, v.Value.Sequence)).ToList(),
            read.Store.Values.Select(v => (v.Key, v.Value.Sequence)).ToList());
    }

    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);

    private static string? Marker(ParamScope scope)
    {
        var config = (MappingNode)ConfigNodeJson.FromJson(Json(new Dictionary<string, string> { ["echo>"] = "${marker}" }), new SourceLocation("t.dig", 1, 1));
        var rendered = Builder.Build(config, scope, ParamSet.Empty, ParamSet.Empty, DateTimeOffset.UnixEpoch);
        return rendered.Command.GetString();
    }
}
