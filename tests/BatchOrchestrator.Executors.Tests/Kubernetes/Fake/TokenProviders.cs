using k8s.Authentication;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Fake;

internal static class TokenProviders
{
    /// <summary>The bearer token a provider would send now.</summary>
    public static async Task<string?> BearerAsync(this ITokenProvider provider) =>
        (await provider.GetAuthenticationHeaderAsync(CancellationToken.None)).Parameter;
}
