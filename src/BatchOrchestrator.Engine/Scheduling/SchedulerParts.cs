using BatchOrchestrator.Engine.Projects;
using BatchOrchestrator.Engine.Sessions;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Engine.Scheduling;

/// <summary>
/// The scheduler's services, made once over a host's catalog, schedule store and launcher: the
/// scheduler itself (ticked by a loop or a timer trigger) and what the API's schedule routes use.
/// Each host registers every one of <see cref="Types"/> in its container, so both register the same set.
/// </summary>
public sealed record SchedulerParts(ScheduledWorkflows Workflows, ScheduleStates States, ScheduledSessionStarter Starter, Backfills Backfills, ScheduleControl Control, Scheduler Scheduler)
{
    /// <summary>The type each part is registered as, in a host's container.</summary>
    public static IReadOnlyList<Type> Types { get; } =
        [typeof(ScheduledWorkflows), typeof(ScheduleStates), typeof(ScheduledSessionStarter), typeof(Backfills), typeof(ScheduleControl), typeof(Scheduler)];

    /// <param name="operators">What the host's workflows are checked against (its operator registry).</param>
    public static SchedulerParts Create(IProjectCatalog catalog, Language.Operators.IOperatorCatalog operators, IScheduleStore store, AttemptLauncher launcher)
    {
        var workflows = new ScheduledWorkflows(catalog, operators);
        var states = new ScheduleStates(store);
        var starter = new ScheduledSessionStarter(launcher);
        var backfills = new Backfills(workflows, store, starter);
        return new SchedulerParts(workflows, states, starter, backfills, new ScheduleControl(workflows, states), new Scheduler(workflows, states, backfills, starter));
    }

    /// <summary>The part registered as <paramref name="type"/> (one of <see cref="Types"/>).</summary>
    public object Get(Type type) =>
        type == typeof(ScheduledWorkflows) ? Workflows
        : type == typeof(ScheduleStates) ? States
        : type == typeof(ScheduledSessionStarter) ? Starter
        : type == typeof(Backfills) ? Backfills
        : type == typeof(ScheduleControl) ? Control
        : type == typeof(Scheduler) ? Scheduler
        : throw new ArgumentException($"{type} is not a part of the scheduler.", nameof(type));
}
