using Microsoft.DurableTask.Client;

namespace BatchOrchestrator.Functions.Adapters;

/// <summary>
/// The task hub's client as the last <c>[DurableClient]</c> binding delivered it. The extension
/// caches one client per connection and hub, so every binding hands over the same instance;
/// services built once (the launcher, the API) read it from here. Every function whose work may
/// reach the client binds it first (HTTP, timer, and the <c>require&gt;</c> activity), so no
/// instance depends on another function having run on it before.
/// </summary>
public sealed class DurableClientSource
{
    private DurableTaskClient? _client;

    public DurableTaskClient Current =>
        Volatile.Read(ref _client) ?? throw new InvalidOperationException("No Durable client has been bound yet: call this only from a function with a [DurableClient] parameter.");

    public void Bind(DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Volatile.Write(ref _client, client);
    }
}
