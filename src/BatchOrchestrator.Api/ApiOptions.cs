namespace BatchOrchestrator.Api;

/// <summary>How the API guards itself: the token it asks for, and how big a request body may be.</summary>
public sealed record ApiOptions
{
    /// <summary>
    /// The token every <c>/api</c> request must carry (<c>Authorization: Bearer &lt;token&gt;</c>);
    /// null lets any request in (the host requires one when it listens beyond loopback).
    /// </summary>
    public string? Token { get; init; }

    /// <summary>
    /// Host names the server is reached by besides loopback names and IP addresses (<c>--host-name</c>,
    /// <c>BO_HOST_NAMES</c>); a request for any other name is refused (Guards/RequestGuard).
    /// </summary>
    public IReadOnlyList<string> HostNames { get; init; } = [];

    /// <summary>The largest JSON body taken (params, secrets).</summary>
    public long MaxJsonBytes { get; init; } = 1 << 20;

    /// <summary>How big a pushed project archive may be: compressed, unpacked, entries, headers, names, depth.</summary>
    public Archives.ArchiveLimits Archives { get; init; } = new();

    /// <summary>About the most log text one read answers (X-Next-Offset says where the next part starts; a followed log is written in parts of this size).</summary>
    public long MaxLogPartBytes { get; init; } = 1L << 20;

    /// <summary>How often a followed log is read for new text.</summary>
    public TimeSpan FollowInterval { get; init; } = TimeSpan.FromMilliseconds(200);
}
