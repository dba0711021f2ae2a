using Azure.Core;

namespace BatchOrchestrator.Executors.Tests.Aci;

/// <summary>A credential that hands out a fixed token and counts how often it was asked.</summary>
internal sealed class FakeCredential : TokenCredential
{
    private int _requests;

    public int Requests => _requests;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return new AccessToken("fake-token", DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
