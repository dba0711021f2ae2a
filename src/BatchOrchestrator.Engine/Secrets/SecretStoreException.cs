namespace BatchOrchestrator.Engine.Secrets;

/// <summary>
/// A secret store cannot be used: a wrong or missing key, a damaged file, an unreachable vault.
/// The message says what is wrong and how to fix it; it never holds a secret value or a key.
/// </summary>
public sealed class SecretStoreException : Exception
{
    public SecretStoreException(string message)
        : base(message)
    {
    }

    public SecretStoreException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
