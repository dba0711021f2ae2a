using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Common.Sqlite;

/// <summary>A SQLite error explained: the message for the user, the file at fault and what kind of failure it is; each project wraps it in its own exception.</summary>
internal sealed record SqliteFault(string Message, string Path, StoreFailure Failure);
