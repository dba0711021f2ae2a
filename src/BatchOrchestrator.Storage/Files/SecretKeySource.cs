using System.Security.Cryptography;
using BatchOrchestrator.Engine.Secrets;

namespace BatchOrchestrator.Storage.Files;

/// <summary>
/// Where the key of <see cref="EncryptedFileSecretStore"/> comes from: the environment variable
/// <c>BO_SECRETS_KEY</c> (base64 of 32 bytes) when it is set, else a key file holding the same
/// (default <c>~/.config/batchorchestrator/secrets.key</c>). A missing key file is created with a
/// fresh random key, readable by its owner only (0600), but only when there is no encrypted file
/// yet: a new key could never open an existing one.
/// </summary>
/// <param name="EnvironmentValue">The value of <c>BO_SECRETS_KEY</c>, or null when it is not set.</param>
/// <param name="KeyFile">The key file used when there is no environment value.</param>
public sealed record SecretKeySource(string? EnvironmentValue, string KeyFile)
{
    public const string EnvironmentVariable = "BO_SECRETS_KEY";

    public const int KeyLength = 32;

    public static string DefaultKeyFile =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "batchorchestrator", "secrets.key");

    /// <summary>The key source of this process: <c>BO_SECRETS_KEY</c> if set, else <paramref name="keyFile"/> (or the default file).</summary>
    public static SecretKeySource FromEnvironment(string? keyFile = null) =>
        new(Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null, keyFile ?? DefaultKeyFile);

    /// <summary>Says where the key came from, for error messages (never the key).</summary>
    public string Describe() => EnvironmentValue is not null ? $"the key in ${EnvironmentVariable}" : $"the key file {KeyFile}";

    /// <summary>Reads the key; creates the key file first when it is missing and <paramref name="createIfMissing"/>.</summary>
    /// <exception cref="SecretStoreException">The key is missing or is not base64 of 32 bytes.</exception>
    public async Task<byte[]> LoadAsync(bool createIfMissing, CancellationToken cancellationToken)
    {
        if (EnvironmentValue is not null)
        {
            return Decode(EnvironmentValue, $"${EnvironmentVariable}");
        }

        if (!File.Exists(KeyFile))
        {
            if (!createIfMissing)
            {
                throw new SecretStoreException($"the key file {KeyFile} is missing, but secrets were encrypted with a key: restore that file or set ${EnvironmentVariable} to the key");
            }

            await CreateKeyFileAsync(cancellationToken);
        }

        return Decode(await File.ReadAllTextAsync(KeyFile, cancellationToken), $"the key file {KeyFile}");
    }

    private async Task CreateKeyFileAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(KeyFile))!);
        var key = RandomNumberGenerator.GetBytes(KeyLength);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // Set at creation, so the key is never readable by others, not even for a moment.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using var stream = new FileStream(KeyFile, options);
            await using var writer = new StreamWriter(stream);
            await writer.WriteLineAsync(Convert.ToBase64String(key).AsMemory(), cancellationToken);
        }
        catch (IOException) when (File.Exists(KeyFile))
        {
            // Another process created it first: use that one.
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] Decode(string text, string source)
    {
        var key = new byte[KeyLength];
        if (!Convert.TryFromBase64String(text.Trim(), key, out var written) || written != KeyLength)
        {
            throw new SecretStoreException($"{source} must be the base64 of {KeyLength} random bytes (make one with: head -c {KeyLength} /dev/urandom | base64)");
        }

        return key;
    }
}
