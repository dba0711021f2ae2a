using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BatchOrchestrator.Engine.Sessions;

/// <summary>
/// A session is unique on (project, workflow, session time). Its instance ids are derived from
/// it, so starting the same session twice finds the same attempt instead of making a second one.
/// </summary>
public sealed record SessionKey(string Project, string Workflow, DateTimeOffset SessionTime)
{
    /// <summary>The session time in UTC, second precision, as it is stored and hashed.</summary>
    public string SessionTimeText => SessionTime.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The durable instance id of an attempt of this session: readable in Durable Functions
    /// Monitor (<c>bo:project:workflow:time:attempt</c>) when short, hashed past 100 characters.
    /// </summary>
    public string AttemptInstanceId(string? retryAttemptName) =>
        ReadableId(":" + (string.IsNullOrEmpty(retryAttemptName) ? "0" : retryAttemptName));

    /// <summary>The session's id: <c>bo:project:workflow:time</c>, with the same rule for long names.</summary>
    public string SessionId => ReadableId(string.Empty);

    /// <summary><c>bo:project:workflow:time</c> plus <paramref name="suffix"/> when at most 100 characters; otherwise shortened names and a hash of the whole.</summary>
    private string ReadableId(string suffix)
    {
        var readable = $"bo:{Project}:{Workflow}:{SessionTimeText}{suffix}";
        if (readable.Length <= 100)
        {
            return readable;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(readable)))[..24];
        return $"bo:{Shorten(Project)}:{Shorten(Workflow)}:{SessionTimeText}:{hash}";
    }

    private static string Shorten(string text) => text.Length <= 20 ? text : text[..20];
}
