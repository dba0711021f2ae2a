using BatchOrchestrator.Engine.Orchestration;
using BatchOrchestrator.Engine.Sessions;

namespace BatchOrchestrator.Engine.Tests.Workflows;

[TestClass]
public sealed class SubOrchestrationIdsTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void A_chunk_id_is_its_attempt_id_and_its_path_of_call_ordinals()
    {
        var attempt = new SessionKey("shop", "daily", Time).AttemptInstanceId(null);

        var third = SubOrchestrationIds.Chunk(attempt, parentIsChunk: false, 3);
        var twelfth = SubOrchestrationIds.Chunk(third, parentIsChunk: true, 12);

        Assert.AreEqual("bo:shop:daily:2026-11-21T00:00:00Z:0~3", third);
        Assert.AreEqual("bo:shop:daily:2026-11-21T00:00:00Z:0~3.12", twelfth);
        Assert.AreEqual(attempt, SubOrchestrationIds.ParentOf(third));
        Assert.AreEqual(third, SubOrchestrationIds.ParentOf(twelfth));
        Assert.StartsWith(SubOrchestrationIds.ChunkPrefix(attempt), twelfth);
        Assert.AreEqual(twelfth, SubOrchestrationIds.Chunk(third, parentIsChunk: true, 12), "a pure function: the same on replay");
    }

    [TestMethod]
    public void Attempt_ids_have_no_parent_whatever_their_retry_name()
    {
        foreach (var retry in new[] { null, "rerun-1", "1.5", "retry-2", "abc", new string('r', 80) })
        {
            var attempt = new SessionKey("shop", "daily", Time).AttemptInstanceId(retry);
            Assert.IsNull(SubOrchestrationIds.ParentOf(attempt), attempt);
        }
    }

    [TestMethod]
    public void Ids_stay_within_durable_functions_limits_at_any_depth_for_any_attempt_id_and_are_unique()
    {
        var attempts = new[]
        {
            new SessionKey("shop", "daily", Time).AttemptInstanceId(null),

            // Readable and exactly 100 characters: no room for any path.
            new SessionKey("p", "w", Time).AttemptInstanceId(new string('r', 100 - "bo:p:w:2026-11-21T00:00:00Z:".Length)),

            // Very long project and workflow names: the attempt id itself is hashed.
            new SessionKey(new string('p', 300), new string('w', 300), Time).AttemptInstanceId("rerun-1"),
            new SessionKey(new string('p', 300), new string('w', 300), Time).AttemptInstanceId("rerun-2"),
        };
        Assert.AreEqual(100, attempts[1].Length);

        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attempt in attempts)
        {
            Assert.IsTrue(all.Add(attempt));
            var level = new List<string> { attempt };
            for (var depth = 1; depth <= 12; depth++)
            {
                var made = new List<string>();
                foreach (var parent in level)
                {
                    // Small ordinals, a loop's thousandth call, and the largest there can be.
                    foreach (var ordinal in new[] { 1, 2, 10, 1_000, int.MaxValue })
                    {
                        var id = SubOrchestrationIds.Chunk(parent, parentIsChunk: depth > 1, ordinal);
                        Assert.IsLessThanOrEqualTo(SubOrchestrationIds.MaxLength, id.Length, id);
                        Assert.AreEqual(-1, id.IndexOfAny(['/', '\\', '#', '?']), id);
                        Assert.IsTrue(all.Add(id), $"{id} is made twice");
                        Assert.StartsWith(SubOrchestrationIds.ChunkPrefix(attempt), id);
                        made.Add(id);

                        // The parent is read back from the id, unless it had to be hashed away.
                        var parentOf = SubOrchestrationIds.ParentOf(id);
                        if (id.StartsWith(parent, StringComparison.Ordinal))
                        {
                            Assert.AreEqual(parent, parentOf, id);
                        }
                        else
                        {
                            Assert.IsNull(parentOf, id);
                        }
                    }
                }

                // Down two branches, the shortest and the longest ids, so a dozen levels stay a few hundred ids.
                level = [made[0], made[^1]];
            }
        }
    }

    [TestMethod]
    public void A_shortened_id_keeps_the_start_of_the_attempt_id_and_its_own_ordinal()
    {
        var attempt = new SessionKey("an-uncommonly-long-project", "and-a-long-workflow", Time).AttemptInstanceId("rerun-12");
        var id = attempt;
        while (id.Length + 6 <= SubOrchestrationIds.MaxLength)
        {
            id = SubOrchestrationIds.Chunk(id, parentIsChunk: id != attempt, 12345);
        }

        var shortened = SubOrchestrationIds.Chunk(id, parentIsChunk: id != attempt, 12345);

        Assert.AreEqual("bo:an-uncommonly-long-project:and-a-long-workflow:2026-11-21T00:00:00Z:rerun-12~12345.12345.12345", id);
        Assert.StartsWith("bo:an-uncommonly-long-project:and-a-long-workflow:2026-11-21T00:00:00Z:~h", shortened);
        Assert.MatchesRegex(@"~h[0-9a-f]{16}\.12345$", shortened);
        Assert.IsNull(SubOrchestrationIds.ParentOf(shortened), "the parent is known only by its hash");
        var child = SubOrchestrationIds.Chunk(shortened, parentIsChunk: true, 3);
        Assert.AreEqual(shortened + ".3", child);
        Assert.AreEqual(shortened, SubOrchestrationIds.ParentOf(child));
    }

    [TestMethod]
    public void Ids_derived_from_a_guid_still_name_their_parent()
    {
        var child = SubOrchestrationIds.Derive("family", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));

        Assert.AreEqual("family:0f8fad5bd9cb469fa16570867728950e", child);
        Assert.AreEqual("family", SubOrchestrationIds.ParentOf(child));
        Assert.IsNull(SubOrchestrationIds.ParentOf("family"));
    }
}
