using BatchOrchestrator.Engine.Scheduling;
using BatchOrchestrator.Functions.Adapters;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace BatchOrchestrator.Functions.Functions;

/// <summary>
/// Every minute, one tick of the scheduler: it evaluates every schedule of the served projects
/// and starts the sessions that are due, with instance ids derived from the session (so a tick
/// repeated on another instance, or after a restart, starts nothing twice).
/// </summary>
public sealed class ScheduleFunction(Scheduler scheduler, DurableClientSource clients, TimeProvider clock)
{
    [Function("ScheduleTick")]
    public Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        clients.Bind(client);
        return scheduler.TickAsync(clock.GetUtcNow(), cancellationToken);
    }
}
