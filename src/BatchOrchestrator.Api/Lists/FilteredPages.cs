using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Api.Lists;

/// <summary>
/// A page of a store's listing with a filter the store cannot apply: store pages are read, each
/// asking only for the items still missing (so a page never holds more than its size and the
/// store's token is always where the next page starts), until the page is full, the listing
/// ends, or <see cref="MaxReads"/> reads were made — then the page is shorter but carries the
/// token, and the client reads on.
/// </summary>
internal static class FilteredPages
{
    /// <summary>Bounds one request's work when few records match.</summary>
    public const int MaxReads = 50;

    public static async Task<RecordPage<T>> ReadAsync<T>(
        Func<int, string?, Task<RecordPage<T>>> read, Func<T, ValueTask<bool>> keep, int size, string? continuation)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(keep);
        var items = new List<T>();
        var token = continuation;
        for (var reads = 0; reads < MaxReads && items.Count < size; reads++)
        {
            var page = await read(size - items.Count, token);
            foreach (var item in page.Items)
            {
                if (await keep(item))
                {
                    items.Add(item);
                }
            }

            token = page.ContinuationToken;
            if (token is null)
            {
                break;
            }
        }

        return new RecordPage<T>(items, token);
    }
}
