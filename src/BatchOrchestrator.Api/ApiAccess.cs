using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BatchOrchestrator.Api;

/// <summary>
/// The API's access rule, the one place it is written: with a token set, a request must carry
/// <c>Authorization: Bearer &lt;token&gt;</c>, else it gets the JSON 401. The API's routes use it as
/// an endpoint filter; a host's other endpoints with the same rule (<c>/metrics</c>) as middleware.
/// </summary>
public static class ApiAccess
{
    /// <summary>Middleware applying the rule of <paramref name="options"/> to what follows it (nothing to do without a token).</summary>
    public static IApplicationBuilder UseApiToken(this IApplicationBuilder app, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Token is not { } token)
        {
            return app;
        }

        var expected = Hash(token);
        return app.Use(async (context, next) =>
        {
            if (HasToken(context.Request, expected))
            {
                await next(context);
            }
            else
            {
                await ApiProblems.Unauthorized().ExecuteAsync(context);
            }
        });
    }

    internal static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Whether the request carries the token, compared in constant time (on hashes, so lengths leak nothing either).</summary>
    internal static bool HasToken(HttpRequest request, byte[] expected)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
