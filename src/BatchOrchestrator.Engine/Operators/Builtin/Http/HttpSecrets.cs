using System.Text;
using System.Text.Json;
using BatchOrchestrator.Engine.Secrets;

namespace BatchOrchestrator.Engine.Operators.Builtin.Http;

/// <summary>
/// Digdag's <c>http&gt;</c> secrets: <c>http.authorization</c> (the whole <c>Authorization</c> header),
/// <c>http.user</c> / <c>http.password</c> (Basic authentication) and <c>http.uri</c> (a URL too
/// sensitive for the workflow file). There is no secret store yet, so they are read from params:
/// an <c>http</c> object param (<c>_export: {http: {authorization: ...}}</c>) or a param named
/// <c>http.authorization</c>. Every value is masked in whatever the operator writes.
/// </summary>
public sealed record HttpSecrets(string? Authorization, string? User, string? Password, string? Uri)
{
    public static HttpSecrets From(JsonElement parameters) =>
        new(Read(parameters, "authorization"), Read(parameters, "user"), Read(parameters, "password"), Read(parameters, "uri"));

    /// <summary>
    /// The <c>Authorization</c> header to send, or null: <c>http.authorization</c> as given when set,
    /// else Basic authentication when <c>http.user</c> is set.
    /// </summary>
    public string? AuthorizationHeader =>
        Authorization is { Length: > 0 } authorization ? authorization
        : User is { Length: > 0 } user ? "Basic " + BasicToken(user, Password ?? string.Empty)
        : null;

    /// <summary>A masker for every secret value, including the Basic token built from them.</summary>
    public SecretMasker Masker() =>
        SecretMasker.WithEncodedForms([Authorization, User, Password, Uri, User is { Length: > 0 } user ? BasicToken(user, Password ?? string.Empty) : null]);

    private static string BasicToken(string user, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    private static string? Read(JsonElement parameters, string name)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var value = parameters.TryGetProperty("http", out var http) && http.ValueKind == JsonValueKind.Object && http.TryGetProperty(name, out var nested)
            ? nested
            : parameters.TryGetProperty("http." + name, out var flat) ? flat : default;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Undefined or JsonValueKind.Null => null,
            _ => value.GetRawText(),
        };
    }
}
