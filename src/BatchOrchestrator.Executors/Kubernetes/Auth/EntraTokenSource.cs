using System.Net.Http.Headers;
using Azure.Core;

namespace BatchOrchestrator.Executors.Kubernetes.Auth;

/// <summary>
/// AKS with Entra ID (AAD) integration: bearer tokens for the AKS server application, from an
/// Azure.Identity <see cref="TokenCredential"/> (a managed identity, workload identity, the Azure
/// CLI login — <c>DefaultAzureCredential</c>). This is what <c>kubelogin</c> does, without
/// needing the binary on the host. Tokens are kept until five minutes before they expire.
/// </summary>
public sealed class EntraTokenSource(TokenCredential credential, TimeProvider? time = null) : IRenewableTokenProvider
{
    /// <summary>The fixed application id of the AKS AAD server, the same in every tenant.</summary>
    public const string AksScope = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";

    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _cached;

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } cached && _time.GetUtcNow() < cached.ExpiresOn - RenewBefore)
            {
                return new AuthenticationHeaderValue("Bearer", cached.Token);
            }

            AccessToken token;
            try
            {
                token = await credential.GetTokenAsync(new TokenRequestContext([AksScope]), cancellationToken).ConfigureAwait(false);
            }
            catch (Azure.Identity.AuthenticationFailedException e)
            {
                throw new KubernetesConfigException($"Cannot get an Entra ID token for AKS (scope {AksScope}): {e.Message}", e);
            }

            _cached = token;
            return new AuthenticationHeaderValue("Bearer", token.Token);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate()
    {
        _cached = null;
    }
}
