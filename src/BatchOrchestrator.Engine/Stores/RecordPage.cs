namespace BatchOrchestrator.Engine.Stores;

/// <summary>One page of records; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record RecordPage<T>(IReadOnlyList<T> Items, string? ContinuationToken);
