using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

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
    public static async Task<V1Job?> WaitAsync(IKubernetes client, string ns, string name, V1Job job, TimeSpan window, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetTimestamp();
        var fieldSelector = $"metadata.name={name}";
        var current = job;
        var version = job.Metadata?.ResourceVersion;
        while (!IsFinished(current))
        {
            var remaining = window - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return current;
            }

            using var windowEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            windowEnd.CancelAfter(remaining);
            var streamError = false;
            try
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(remaining.TotalSeconds));
                var response = client.BatchV1.ListNamespacedJobWithHttpMessagesAsync(
                    ns, allowWatchBookmarks: true, fieldSelector: fieldSelector, resourceVersion: version, timeoutSeconds: seconds, watch: true, cancellationToken: windowEnd.Token);
                // The library hands an in-stream ERROR (a Status, 410 Expired) to onError and reads on;
                // the server closes the stream after it, and the list below starts afresh.
#pragma warning disable CS0618 // The generated WatchListNamespacedJobAsync the library points to does not exist in 21.0.8.
                await foreach (var (type, item) in response.WatchAsync<V1Job, V1JobList>(
                    _ =>
                    {
                        streamError = true;
                        windowEnd.Cancel();
                    },
                    windowEnd.Token).ConfigureAwait(false))
#pragma warning restore CS0618
                {
                    if (type == WatchEventType.Deleted)
                    {
                        return null;
                    }

                    version = item.Metadata?.ResourceVersion ?? version;
                    if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        current = item;
                        if (IsFinished(current))
                        {
                            return current;
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !streamError)
            {
                return current;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // An in-stream error (410 Expired) stopped the watch: list afresh below.
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Gone)
            {
                // 410 before the stream started: the version is too old.
            }
            catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
            {
                // The connection broke mid-stream: list afresh, as after a server-side close.
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                // Same as above, surfaced by the stream reader.
            }

            var list = await client.BatchV1.ListNamespacedJobAsync(ns, fieldSelector: fieldSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (list.Items.Count == 0)
            {
                return null;
            }

            current = list.Items[0];
            version = list.Metadata?.ResourceVersion;
        }

        return current;
    }

    private static bool IsFinished(V1Job job) => JobConditions.Of(job).Progress is JobProgress.Succeeded or JobProgress.Failed;
}
