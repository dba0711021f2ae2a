using System.Text.Json;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Engine.Secrets;

/// <summary>
/// Replaces <c>${secret:key}</c> with values from a <see cref="ISecretStore"/>, for one task try
/// of one project, and remembers every value it put in so they can be masked
/// (<see cref="Masker"/>). Use it only inside activities: a resolved value must never become
/// orchestration input, output or history. Not thread-safe (one per try).
/// </summary>
public sealed class SecretResolver(ISecretStore store, string project)
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Masks every value resolved so far.</summary>
    public SecretMasker Masker => _values.Count == 0 ? SecretMasker.None : new SecretMasker(_values.Values);

    /// <summary>Reads the keys' values (once each) without resolving any text: for masking output of a try resolved earlier.</summary>
    /// <exception cref="TaskFailure">A key is invalid or not set, or the store cannot be read (not retryable).</exception>
    public async Task LoadAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            if (_values.ContainsKey(key))
            {
                continue;
            }

            if (!SecretNames.IsValid(key))
            {
                throw new TaskFailure($"${{secret:{key}}} does not name a valid secret key (letters, digits, '_', '-', '.')", retryable: false);
            }

            string? value;
            try
            {
                value = await store.GetAsync(project, key, cancellationToken);
            }
            catch (SecretStoreException e)
            {
                throw new TaskFailure($"secret '{key}' could not be read: {e.Message}", retryable: false);
            }

            _values[key] = value ?? throw new TaskFailure($"secret '{key}' is not set for project '{project}' (set it with: bo secrets --set {key})", retryable: false);
        }
    }

    public async Task<string> ResolveAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        await LoadAsync(SecretReferences.Keys(text), cancellationToken);
        return SecretReferences.Replace(text, key => _values[key]);
    }

    /// <summary>Resolves the string values of a JSON value, at any depth (property names stay as they are).</summary>
    public async Task<JsonElement> ResolveAsync(JsonElement element, CancellationToken cancellationToken)
    {
        await LoadAsync(SecretReferences.Keys(element), cancellationToken);
        return JsonStrings.Map(element, text => SecretReferences.Replace(text, key => _values[key]));
    }

    public async Task<IReadOnlyList<string>> ResolveAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var resolved = new List<string>(texts.Count);
        foreach (var text in texts)
        {
            resolved.Add(await ResolveAsync(text, cancellationToken));
        }

        return resolved;
    }

    /// <summary>Resolves the values of a dictionary (environment variables, files); the names stay as they are.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        var resolved = new Dictionary<string, string>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            resolved[name] = await ResolveAsync(value, cancellationToken);
        }

        return resolved;
    }
}
