using System.Text.Json;

namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// Digdag's ParamServer: persistent key/value params of a project, shared by its sessions and
/// workflows (<c>param_set&gt;</c> writes them, <c>param_get&gt;</c> reads them). Values are JSON.
/// Projects never see each other's keys.
/// </summary>
public interface IParamStore
{
    /// <summary>
    /// The values of the keys that are set; keys never set are absent from the result (the caller
    /// decides what a missing key means).
    /// </summary>
    Task<IReadOnlyDictionary<string, JsonElement>> GetAsync(string project, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Sets every key to its value, all or none, replacing earlier values. Idempotent: setting
    /// the same values again (an activity that runs twice) leaves the same state.
    /// </summary>
    Task SetAsync(string project, IReadOnlyDictionary<string, JsonElement> values, CancellationToken cancellationToken);
}
