using BatchOrchestrator.Engine.Orchestration;
using Microsoft.DurableTask.Client;
using Ours = BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Functions.Adapters;

/// <summary>
/// Durable Functions' <see cref="DurableTaskClient"/> seen as the Engine's
/// <see cref="IOrchestrationClient"/>, which the launcher, the scheduler and the HTTP API use.
/// The client comes from a <c>[DurableClient]</c> binding (it carries the task hub's connection),
/// so each function that has one hands it to <see cref="DurableClientSource"/> first.
/// </summary>
internal sealed class DurableOrchestrationClient(DurableClientSource source) : IOrchestrationClient
{
    private DurableTaskClient Client => source.Current;

    public async Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, object? input = null, Ours.StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        // Durable's Azure Storage backend replaces a finished instance with the same id; the
        // Engine's contract never creates a second one, so an existing id is refused here first.
        if (options?.InstanceId is { } id && await Client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellation) is { } existing)
        {
            throw new OrchestrationAlreadyExistsException(id, DurableConversions.FromDurable(existing.RuntimeStatus));
        }

        // The check above is not enough when two callers (two instances of the app ticking the same
        // schedule, two requests for one session) both find no instance: the backend is asked to
        // refuse the id whatever state an instance with it is in, so only one creation lands. Without
        // it the test host appended a second start to the instance and corrupted it, and Azure
        // Storage replaces an instance that has just finished.
        var start = new Microsoft.DurableTask.StartOrchestrationOptions(options?.InstanceId, options?.StartAt);
        if (options?.InstanceId is not null)
        {
            start = start.WithDedupeStatuses([.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses]);
        }

        try
        {
            return await Client.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, start, cancellation);
        }
        catch (DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException) when (options?.InstanceId is { } raced)
        {
            var winner = await Client.GetInstanceAsync(raced, getInputsAndOutputs: false, cancellation);
            throw new OrchestrationAlreadyExistsException(raced, winner is null ? Ours.OrchestrationRuntimeStatus.Pending : DurableConversions.FromDurable(winner.RuntimeStatus));
        }
    }

    public async Task<Ours.OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        await Client.GetInstanceAsync(instanceId, getInputsAndOutputs, cancellation) is { } metadata ? Convert(metadata) : null;

    public async Task<Ours.OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        if (await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellation) is null)
        {
            throw new OrchestrationNotFoundException(instanceId);
        }

        return Convert(await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation));
    }

    public async Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        await RequireAsync(instanceId, cancellation);
        await Client.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);
    }

    public Task TerminateInstanceAsync(string instanceId, Ours.TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new Ours.TerminateInstanceOptions();
        return Client.TerminateInstanceAsync(instanceId, new Microsoft.DurableTask.Client.TerminateInstanceOptions(options.Output, options.Recursive), cancellation);
    }

    public Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        Client.SuspendInstanceAsync(instanceId, reason, cancellation);

    public Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        Client.ResumeInstanceAsync(instanceId, reason, cancellation);

    public async Task<Ours.PurgeResult> PurgeInstanceAsync(string instanceId, bool recursive = false, CancellationToken cancellation = default) =>
        new((await Client.PurgeInstanceAsync(instanceId, new PurgeInstanceOptions(recursive), cancellation)).PurgedInstanceCount);

    public async Task<Ours.PurgeResult> PurgeAllInstancesAsync(Ours.PurgeInstancesFilter filter, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new((await Client.PurgeAllInstancesAsync(DurableConversions.ToDurable(filter), cancellation)).PurgedInstanceCount);
    }

    public async Task<OrchestrationQueryPage> QueryInstancesAsync(Ours.OrchestrationQuery query, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(query);

        // One page per call, resumed from the caller's token: the Engine pages explicitly.
        var pages = Client.GetAllInstancesAsync(DurableConversions.ToDurable(query)).AsPages(query.ContinuationToken, query.PageSize);
        await foreach (var page in pages.WithCancellation(cancellation))
        {
            return new OrchestrationQueryPage(page.Values.Select(Convert).ToList(), string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new OrchestrationQueryPage([], null);
    }

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellation = default)
    {
        try
        {
            var events = await Client.GetOrchestrationHistoryAsync(instanceId, cancellation);
            return events.Select(DurableHistory.FromDurable).OfType<HistoryEvent>().ToList();
        }
        catch (ArgumentException)
        {
            // Durable reports an unknown instance this way; the Engine's contract is an empty history.
            return [];
        }
    }

    private async Task RequireAsync(string instanceId, CancellationToken cancellation)
    {
        if (await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellation) is null)
        {
            throw new OrchestrationNotFoundException(instanceId);
        }
    }

    private static Ours.OrchestrationMetadata Convert(Microsoft.DurableTask.Client.OrchestrationMetadata metadata) =>
        DurableConversions.FromDurable(metadata, SubOrchestrationIds.ParentOf(metadata.InstanceId));
}
