using System.Text.Json;
using BatchOrchestrator.Language.Operators;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Engine.Operators.Builtin.Params;

/// <summary>
/// The keys both param operators take, in either of Digdag's forms: as the command
/// (<c>param_set&gt;: {key: value}</c>), or beside an empty operator key
/// (<c>param_set&gt;:</c> then <c>key: value</c> lines on the task).
/// </summary>
internal static class ParamCommand
{
    /// <summary>Options of the task that are not keys to set or get.</summary>
    private static readonly HashSet<string> NotKeys = new(StringComparer.Ordinal) { OperatorDescription.Timeout.Name };

    /// <summary>The keys, in the order written.</summary>
    /// <exception cref="TaskFailure">The command is not a mapping or there is no key (a config error: not retried).</exception>
    public static IReadOnlyList<KeyValuePair<string, JsonElement>> Entries(TaskRequest request)
    {
        var source = request.Command.ValueKind switch
        {
            JsonValueKind.Object => request.Command,
            JsonValueKind.Null or JsonValueKind.Undefined when request.Config.ValueKind == JsonValueKind.Object => request.Config,
            var kind => throw new TaskFailure($"{request.OperatorName}>: expected a mapping of keys, got {Describe(kind)}", retryable: false),
        };

        var besideTheOperator = request.Command.ValueKind != JsonValueKind.Object;
        var entries = source.EnumerateObject()
            .Where(p => !besideTheOperator || IsKey(p.Name))
            .Select(p => KeyValuePair.Create(p.Name, p.Value.Clone()))
            .ToList();
        if (entries.Count == 0)
        {
            throw new TaskFailure($"{request.OperatorName}>: no key is set", retryable: false);
        }

        return entries;
    }

    /// <summary>A key of the task beside the operator that names a param (not the operator, a directive or an option).</summary>
    private static bool IsKey(string name) => !name.EndsWith('>') && !name.StartsWith('_') && !NotKeys.Contains(name);

    /// <summary><c>bo check</c>'s rule: keys given in one of the two forms.</summary>
    public sealed class Validator : IOperatorValidator
    {
        public void Validate(OperatorCheck check)
        {
            if (check.Command is null or ScalarNode { IsNull: true })
            {
                if (!check.Task.LocalParams.Any(p => IsKey(p.Name)))
                {
                    check.Error(check.Call.Location, $"{check.Key} needs keys: {check.Key} {{key: value}}, or {check.Key} with nothing after it and key: value lines beside it");
                }

                return;
            }

            // With the keys in the mapping, a key beside it would be silently ignored.
            foreach (var beside in check.Task.LocalParams.Where(p => IsKey(p.Name)))
            {
                check.Error(beside.Key.Location, $"{check.Key} unknown option '{beside.Name}'; with {check.Key} {{...}} the keys go in the mapping (or leave {check.Key} empty and write every key beside it)");
            }
        }
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Undefined => "nothing",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "a mapping",
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Number => "a number",
        _ => "a string",
    };
}
