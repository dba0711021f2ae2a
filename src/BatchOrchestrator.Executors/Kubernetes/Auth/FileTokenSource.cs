using System.Net.Http.Headers;

namespace BatchOrchestrator.Executors.Kubernetes.Auth;

/// <summary>
/// A token read from a file (<c>user.tokenFile</c>, the in-cluster service-account token).
/// Projected service-account tokens are rotated by the kubelet (about hourly), so the file is
/// read again after <paramref name="refreshAfter"/> and after a 401 — never cached for the
/// life of the process.
/// </summary>
public sealed class FileTokenSource(string path, TimeSpan refreshAfter, TimeProvider? time = null) : IRenewableTokenProvider
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private (string Token, DateTimeOffset ReadAt)? _cached;

    public string Path => path;

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_cached is { } cached && _time.GetUtcNow() - cached.ReadAt < refreshAfter)
            {
                return new AuthenticationHeaderValue("Bearer", cached.Token);
            }
        }

        string token;
        try
        {
            token = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (IOException e)
        {
            throw new KubernetesConfigException($"Cannot read the Kubernetes token file '{path}': {e.Message}");
        }

        lock (_gate)
        {
            _cached = (token, _time.GetUtcNow());
        }

        return new AuthenticationHeaderValue("Bearer", token);
    }

    public void Invalidate()
    {
        lock (_gate)
        {
            _cached = null;
        }
    }
}
