using System.Text.Json;
using BatchOrchestrator.Executors.Kubernetes.Api;

namespace BatchOrchestrator.Executors.Kubernetes.Jobs;

/// <summary>
/// Watches one Job for a bounded window (one poll) until it finishes. Watch streams end when the
/// server closes them and may answer an in-stream ERROR (410 Expired: the resource version is
/// too old); either way the Job is listed afresh and watched again from the list's version, so
/// no change is missed and no stale version is reused.
/// </summary>
public static class JobWaiter
{
    /// <summary>The Job as last seen when it finished or the window ended; null when it was deleted.</summary>
    public static async Task<JsonElement?> WaitAsync(KubernetesApi api, string ns, string name, JsonElement job, TimeSpan window, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetTimestamp();
        var fieldSelector = $"metadata.name={name}";
        var current = job;
        var version = ResourceVersion(job);
        while (!IsFinished(current))
        {
            var remaining = window - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return current;
            }

            using var windowEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            windowEnd.CancelAfter(remaining);
            try
            {
                await foreach (var watchEvent in api.WatchJobsAsync(ns, fieldSelector, version, remaining, windowEnd.Token).ConfigureAwait(false))
                {
                    if (watchEvent.IsError)
                    {
                        // 410 Expired (or any in-stream error): list afresh below.
                        break;
                    }

                    if (watchEvent.Type == "DELETED")
                    {
                        return null;
                    }

                    version = watchEvent.ResourceVersion ?? version;
                    if (watchEvent.Type is "ADDED" or "MODIFIED")
                    {
                        current = watchEvent.Object;
                        if (IsFinished(current))
                        {
                            return current;
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return current;
            }
            catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
            {
                // The connection broke mid-stream: list afresh, as after a server-side close.
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                // Same as above, surfaced by the stream reader.
            }

            var list = await api.ListJobsAsync(ns, null, fieldSelector, cancellationToken).ConfigureAwait(false);
            if (list.Items.Count == 0)
            {
                return null;
            }

            current = list.Items[0];
            version = list.ResourceVersion;
        }

        return current;
    }

    private static bool IsFinished(JsonElement job) => JobConditions.Of(job).Progress is JobProgress.Succeeded or JobProgress.Failed;

    private static string ResourceVersion(JsonElement job) =>
        job.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var version) ? version.GetString() ?? "" : "";
}
