namespace BatchOrchestrator.Engine.Orchestration;

/// <summary>Conveniences over <see cref="IOrchestrationClient"/>.</summary>
public static class OrchestrationClientExtensions
{
    /// <summary>Enumerates every instance matching <paramref name="query"/>, page by page.</summary>
    public static async IAsyncEnumerable<OrchestrationMetadata> GetAllInstancesAsync(
        this IOrchestrationClient client,
        OrchestrationQuery query,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = await client.QueryInstancesAsync(query, cancellation);
        while (true)
        {
            foreach (var instance in page.Instances)
            {
                yield return instance;
            }

            if (page.ContinuationToken is null)
            {
                yield break;
            }

            page = await client.QueryInstancesAsync(query with { ContinuationToken = page.ContinuationToken }, cancellation);
        }
    }
}
