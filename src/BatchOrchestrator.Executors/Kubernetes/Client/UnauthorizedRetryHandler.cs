using System.Net;
using BatchOrchestrator.Executors.Kubernetes.Auth;

namespace BatchOrchestrator.Executors.Kubernetes.Client;

/// <summary>
/// A 401 means the token was rotated or expired before its cache said so: the provider is told to
/// renew, and the request goes once more with the new token. A second 401 is the answer.
/// </summary>
internal sealed class UnauthorizedRetryHandler(IRenewableTokenProvider? token) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || token is null)
        {
            return response;
        }

        response.Dispose();
        token.Invalidate();
        // The library set the header from the stale token before the request reached the handlers.
        request.Headers.Authorization = await token.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
