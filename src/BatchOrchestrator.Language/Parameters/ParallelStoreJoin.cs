using System.Text.Json;
using System.Text.Json.Nodes;

namespace BatchOrchestrator.Language.Parameters;

/// <summary>
/// The store after parallel branches join. Each branch ran with its own copy of the store taken at the
/// fork; at the join every branch's changes are applied in <b>submission order</b>, so when two branches
/// set the same value the branch submitted last wins (a fork of <c>+a,+b</c> then a join sees <c>+b</c>'s
/// value), regardless of which finished last. Pure and deterministic.
/// </summary>
public static class ParallelStoreJoin
{
    /// <summary>
    /// Joins branch stores. <paramref name="branchStores"/> are the full stores each branch ended with
    /// (each began as a copy of <paramref name="atFork"/>), in submission order. A branch's changes are
    /// what differs from <paramref name="atFork"/>, found down to nested object keys: values it set or
    /// changed, and names it removed. A branch that left a value untouched does not undo another branch's
    /// change to it.
    /// </summary>
    public static ParamSet Join(ParamSet atFork, IReadOnlyList<ParamSet> branchStores)
    {
        ArgumentNullException.ThrowIfNull(atFork);
        ArgumentNullException.ThrowIfNull(branchStores);
        var result = (JsonObject)JsonNode.Parse(atFork.ToJsonString())!;
        var fork = atFork.ToJson();
        foreach (var branch in branchStores)
        {
            ApplyChanges(result, fork, branch.ToJson());
        }

        return ParamSet.FromJson(JsonValues.Parse(result.ToJsonString()));
    }

    private static void ApplyChanges(JsonObject target, JsonElement before, JsonElement after)
    {
        foreach (var property in after.EnumerateObject())
        {
            if (before.TryGetProperty(property.Name, out var old))
            {
                if (old.ValueKind == JsonValueKind.Object && property.Value.ValueKind == JsonValueKind.Object
                    && target[property.Name] is JsonObject nested)
                {
                    ApplyChanges(nested, old, property.Value);
                    continue;
                }

                if (JsonElement.DeepEquals(old, property.Value))
                {
                    continue;
                }
            }

            target[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }

        foreach (var property in before.EnumerateObject())
        {
            if (!after.TryGetProperty(property.Name, out _))
            {
                target.Remove(property.Name);
            }
        }
    }
}
