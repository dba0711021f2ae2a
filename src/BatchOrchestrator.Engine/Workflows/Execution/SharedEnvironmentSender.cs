using System.Security.Cryptography;
using System.Text;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Workflows.Activities;
using BatchOrchestrator.Language.BuiltIns;

namespace BatchOrchestrator.Engine.Workflows.Execution;

/// <summary>
/// Takes the variables every command of an attempt has in common — the built-in variables,
/// <c>task_name</c> aside — out of a command's environment, so each launch input carries them once
/// per orchestration instead of once per task (they were ~40 % of a <c>sh&gt;</c> launch input, in
/// history and in the work item). Deterministic: what it has sent is rebuilt the same on replay.
/// </summary>
internal sealed class SharedEnvironmentSender
{
    private const string PerTask = "task_name";

    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _sent = new(StringComparer.Ordinal);

    // The last set and its key: consecutive tasks of one workflow share it, so it is hashed once.
    private SharedEnvironment? _last;

    /// <summary>
    /// The command without its shared variables, and those variables: in full the first time this
    /// orchestration sends them (<see cref="SharedEnvironment.Variables"/>), else by key. Null when it has none.
    /// </summary>
    public (CommandRequest Command, SharedEnvironment? Shared) Split(CommandRequest command)
    {
        // Compared with the last set on the way: consecutive tasks of one workflow share it, so the
        // set is built and hashed only when it changed.
        var last = _last?.Variables;
        var sameAsLast = last is not null;
        var sharedCount = 0;
        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in command.Environment)
        {
            if (IsShared(name))
            {
                sharedCount++;
                sameAsLast = sameAsLast && last!.TryGetValue(name, out var known) && known == value;
            }
            else
            {
                own[name] = value;
            }
        }

        if (sharedCount == 0)
        {
            return (command, null);
        }

        var full = sameAsLast && last!.Count == sharedCount ? _last! : NewSet(command.Environment, sharedCount);
        _last = full;
        return (command with { Environment = own }, _sent.TryAdd(full.Key, full.Variables!) ? full : full with { Variables = null });
    }

    /// <summary>The set <paramref name="shared"/> names, with its variables (for a host that did not know it).</summary>
    public SharedEnvironment InFull(SharedEnvironment shared) => shared with { Variables = _sent[shared.Key] };

    private static bool IsShared(string name) => name != PerTask && BuiltInVariables.IsBuiltIn(name);

    private static SharedEnvironment NewSet(IReadOnlyDictionary<string, string> environment, int count)
    {
        var shared = new Dictionary<string, string>(count, StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            if (IsShared(name))
            {
                shared[name] = value;
            }
        }

        return new SharedEnvironment(KeyOf(shared), shared);
    }

    /// <summary>A digest of the names and values, in order: equal keys stand for equal sets whichever orchestration or host made them.</summary>
    private static string KeyOf(Dictionary<string, string> variables)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in variables)
        {
            text.Append(name).Append('\0').Append(value).Append('\0');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 16);
    }
}
