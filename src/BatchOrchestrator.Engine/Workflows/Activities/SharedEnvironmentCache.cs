using System.Collections.Concurrent;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Workflows.Activities;

/// <summary>
/// The shared environments (<see cref="SharedEnvironment"/>) this host has been sent, by key. A
/// launch that names one by key only finds it here; a host that restarted, or was never sent it,
/// does not, and reads it from the run store, or — when the store does not keep it (another host on
/// Azure) — the launch asks for it in full (<see cref="CommandStatus.SharedEnvironmentUnknown"/>).
/// Forgetting is therefore always safe: the cache is emptied when it grows past a bound.
/// </summary>
internal sealed class SharedEnvironmentCache(IRunStore runs)
{
    // Sets of attempts running at once, or recently: a few per attempt (one per workflow it calls).
    private const int Capacity = 512;

    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _known = new(StringComparer.Ordinal);

    /// <summary>
    /// The command with its shared variables back in its environment; null when they are sent by a
    /// key neither this host nor the run store knows. A set sent in full is saved in the run store the
    /// first time this host sees it, so a launch delivered again after a restart finds it there.
    /// </summary>
    public async Task<CommandRequest?> RestoreAsync(CommandRequest command, SharedEnvironment shared, CancellationToken cancellationToken)
    {
        var variables = shared.Variables;
        if (variables is not null)
        {
            if (!_known.ContainsKey(shared.Key))
            {
                await runs.SaveSharedEnvironmentAsync(command.AttemptId, shared.Key, variables, cancellationToken);
                Remember(shared.Key, variables);
            }
        }
        else if (!_known.TryGetValue(shared.Key, out variables))
        {
            variables = await runs.GetSharedEnvironmentAsync(shared.Key, cancellationToken);
            if (variables is null)
            {
                return null;
            }

            Remember(shared.Key, variables);
        }

        var environment = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        foreach (var (name, value) in command.Environment)
        {
            environment[name] = value;
        }

        return command with { Environment = environment };
    }

    private void Remember(string key, IReadOnlyDictionary<string, string> variables)
    {
        if (_known.Count >= Capacity)
        {
            _known.Clear();
        }

        _known[key] = variables;
    }
}
