namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>
/// What an activity knows of its call; mirrors Durable Task's <c>TaskActivityContext</c>.
/// An activity may run more than once for the same call (at-least-once delivery): the
/// (<see cref="InstanceId"/>, <see cref="TaskId"/>) pair is stable across those runs and makes
/// a good idempotency key.
/// </summary>
/// <param name="Name">The activity's registered name.</param>
/// <param name="InstanceId">The orchestration that scheduled it.</param>
/// <param name="TaskId">The id of this call in the orchestration's history.</param>
public sealed record TaskActivityContext(string Name, string InstanceId, int TaskId);
