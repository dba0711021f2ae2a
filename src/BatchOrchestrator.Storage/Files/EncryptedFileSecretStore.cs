using BatchOrchestrator.Engine.Json;
using System.Security.Cryptography;
using System.Text.Json;
using BatchOrchestrator.Engine.Secrets;

namespace BatchOrchestrator.Storage.Files;

/// <summary>
/// The local secret store: every project's secrets in one file (<c>secrets.enc</c> in the state
/// folder), encrypted and authenticated with AES-256-GCM.
/// <para>Guarantees:</para>
/// <list type="bullet">
/// <item>No name or value is in the file in plain text; each write encrypts the whole content
/// again with a fresh random nonce, so a nonce is never reused with the key.</item>
/// <item>A write replaces the file atomically (a temp file beside it, then a rename): a reader or
/// a crash sees the old content or the new, never a mix. Writers of the same file, in this
/// process or others, take turns (a lock file beside it).</item>
/// <item>A wrong key, or a changed or damaged file, gives a <see cref="SecretStoreException"/>
/// saying so (GCM's tag check), never wrong values.</item>
/// <item>Nothing is cached: every read sees the last write, so <c>bo secrets --set</c> reaches a
/// running engine. Without a file there are no secrets, and no key is needed.</item>
/// </list>
/// Layout: a 9-byte header (<c>BOSECRET</c>, version 1; authenticated as associated data),
/// the 12-byte nonce, the 16-byte tag, then the ciphertext of a JSON object <c>{project: {key: value}}</c>.
/// </summary>
public sealed class EncryptedFileSecretStore(string path, SecretKeySource keySource) : ISecretStore
{
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private static readonly byte[] Header = [.. "BOSECRET"u8, 1];

    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>The file's name in a state folder.</summary>
    public const string FileName = "secrets.enc";

    /// <summary>The encrypted file.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The store of a state folder: what the local engine reads and <c>bo secrets</c> edits.</summary>
    public static EncryptedFileSecretStore InStateFolder(string stateDirectory, SecretKeySource keySource) =>
        new(System.IO.Path.Combine(stateDirectory, FileName), keySource);

    public async Task<string?> GetAsync(string project, string key, CancellationToken cancellationToken)
    {
        var secrets = await ReadAsync(cancellationToken);
        return secrets.TryGetValue(project, out var values) && values.TryGetValue(key, out var value) ? value : null;
    }

    public async Task<IReadOnlyList<string>> ListAsync(string project, CancellationToken cancellationToken)
    {
        var secrets = await ReadAsync(cancellationToken);
        return secrets.TryGetValue(project, out var values) ? [.. values.Keys.Order(StringComparer.Ordinal)] : [];
    }

    public Task SetAsync(string project, string key, string value, CancellationToken cancellationToken)
    {
        SecretNames.Validate(key);
        ArgumentNullException.ThrowIfNull(value);
        return ChangeAsync(
            secrets =>
            {
                if (!secrets.TryGetValue(project, out var values))
                {
                    secrets[project] = values = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                values[key] = value;
                return true;
            },
            cancellationToken);
    }

    public Task<bool> DeleteAsync(string project, string key, CancellationToken cancellationToken) =>
        ChangeAsync(
            secrets =>
            {
                if (!secrets.TryGetValue(project, out var values) || !values.Remove(key))
                {
                    return false;
                }

                if (values.Count == 0)
                {
                    secrets.Remove(project);
                }

                return true;
            },
            cancellationToken);

    /// <summary>Reads, changes and (when <paramref name="change"/> returns true) writes the file, as one writer at a time.</summary>
    private async Task<bool> ChangeAsync(Func<Dictionary<string, Dictionary<string, string>>, bool> change, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            using var fileLock = await FileAppendLock.AcquireAsync(Path + ".lock", cancellationToken);
            var secrets = await ReadAsync(cancellationToken);
            if (!change(secrets))
            {
                return false;
            }

            var key = await keySource.LoadAsync(createIfMissing: !File.Exists(Path), cancellationToken);
            try
            {
                await WriteAtomicallyAsync(Encrypt(key, secrets), cancellationToken);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            return true;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<Dictionary<string, Dictionary<string, string>>> ReadAsync(CancellationToken cancellationToken)
    {
        byte[] file;
        try
        {
            file = await File.ReadAllBytesAsync(Path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return new(StringComparer.Ordinal);
        }
        catch (DirectoryNotFoundException)
        {
            return new(StringComparer.Ordinal);
        }

        var key = await keySource.LoadAsync(createIfMissing: false, cancellationToken);
        try
        {
            return Decrypt(key, file);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private byte[] Encrypt(byte[] key, Dictionary<string, Dictionary<string, string>> secrets)
    {
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(secrets, ValuesJsonContext.Default.DictionaryStringDictionaryStringString);
        try
        {
            var file = new byte[Header.Length + NonceLength + TagLength + plaintext.Length];
            Header.CopyTo(file, 0);
            var nonce = file.AsSpan(Header.Length, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(key, TagLength);
            aes.Encrypt(nonce, plaintext, file.AsSpan(Header.Length + NonceLength + TagLength), file.AsSpan(Header.Length + NonceLength, TagLength), Header);
            return file;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private Dictionary<string, Dictionary<string, string>> Decrypt(byte[] key, byte[] file)
    {
        if (file.Length < Header.Length + NonceLength + TagLength || !file.AsSpan(0, Header.Length).SequenceEqual(Header))
        {
            throw new SecretStoreException($"{Path} is not a secrets file of this version of bo, or it is damaged");
        }

        var plaintext = new byte[file.Length - Header.Length - NonceLength - TagLength];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(
                file.AsSpan(Header.Length, NonceLength),
                file.AsSpan(Header.Length + NonceLength + TagLength),
                file.AsSpan(Header.Length + NonceLength, TagLength),
                plaintext,
                Header);
            var secrets = JsonSerializer.Deserialize(plaintext, ValuesJsonContext.Default.DictionaryStringDictionaryStringString) ?? [];
            return secrets.ToDictionary(p => p.Key, p => new Dictionary<string, string>(p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SecretStoreException($"{Path} cannot be decrypted with {keySource.Describe()}: it is not the key the file was written with, or the file was changed");
        }
        catch (JsonException)
        {
            throw new SecretStoreException($"{Path} decrypted, but its content is not a secrets table (was it written by another program?)");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private async Task WriteAtomicallyAsync(byte[] content, CancellationToken cancellationToken)
    {
        var temp = $"{Path}.tmp-{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(content, cancellationToken);

                // On disk before the rename makes it the file, so a crash cannot leave an empty one.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
