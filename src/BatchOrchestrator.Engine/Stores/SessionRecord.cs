using BatchOrchestrator.Engine.Sessions;

namespace BatchOrchestrator.Engine.Stores;

/// <summary>
/// A session as the run store keeps it: the row behind <c>bo sessions</c>. Unique on
/// (project, workflow, session time); its <see cref="SessionId"/> is derived from those three, so
/// every host and every store names the same session the same way.
/// </summary>
public sealed record SessionRecord(string SessionId, string Project, string Workflow, DateTimeOffset SessionTime)
{
    public SessionKey Key => new(Project, Workflow, SessionTime);

    /// <summary>
    /// The session's number in its store (1, 2, ... in the local SQLite store), given as
    /// <c>${session_id}</c> the way Digdag's database numbers sessions; null from a store that does
    /// not number them (a hash of the id stands in).
    /// </summary>
    public long? Number { get; init; }

    /// <summary>The record of a session key, with its derived id.</summary>
    public static SessionRecord Of(SessionKey key) => new(IdOf(key), key.Project, key.Workflow, key.SessionTime);

    /// <summary>
    /// The session's id: <c>bo:project:workflow:time</c> (the attempt instance id without its
    /// attempt part) when short, hashed past 100 characters. Stable across processes and hosts.
    /// </summary>
    public static string IdOf(SessionKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.SessionId;
    }
}
