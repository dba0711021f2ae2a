namespace BatchOrchestrator.Engine.Stores;

/// <summary>What <see cref="IRunStore.MarkLaunchAsync"/> found once a launch's mark was written.</summary>
/// <param name="EarlierDeliveries">
/// How many times the same launch was marked before (see <see cref="IRunStore.UpsertStartedTryAsync(StartedTry, CancellationToken)"/>).
/// </param>
/// <param name="AttemptStatus">The attempt's status read after the mark (null when there is no such attempt).</param>
public sealed record LaunchMark(int EarlierDeliveries, AttemptStatus? AttemptStatus);
