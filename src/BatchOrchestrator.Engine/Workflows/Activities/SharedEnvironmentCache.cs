using System.Collections.Concurrent;
using BatchOrchestrator.Engine.Executors;

namespace BatchOrchestrator.Engine.Workflows.Activities;

/// <summary>
/// The shared environments (<see cref="SharedEnvironment"/>) this host has been sent, by key. A
/// launch that names one by key only finds it here; a host that restarted, or was never sent it,
/// does not, and the launch asks for it in full (<see cref="CommandStatus.SharedEnvironmentUnknown"/>).
/// Forgetting is therefore always safe: the cache is emptied when it grows past a bound.
/// </summary>
internal sealed class SharedEnvironmentCache
{
    // Sets of attempts running at once, or recently: a few per attempt (one per workflow it calls).
    private const int Capacity = 512;

    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _known = new(StringComparer.Ordinal);

    /// <summary>The command with its shared variables back in its environment; null when they are sent by a key this host does not know.</summary>
    public CommandRequest? Restore(CommandRequest command, SharedEnvironment shared)
    {
        var variables = shared.Variables;
        if (variables is not null)
        {
            if (_known.Count >= Capacity)
            {
                _known.Clear();
            }

            _known[shared.Key] = variables;
        }
        else if (!_known.TryGetValue(shared.Key, out variables))
        {
            return null;
        }

        var environment = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        foreach (var (name, value) in command.Environment)
        {
            environment[name] = value;
        }

        return command with { Environment = environment };
    }
}
