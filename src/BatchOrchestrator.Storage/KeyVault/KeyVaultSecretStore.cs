using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using BatchOrchestrator.Engine.Secrets;

namespace BatchOrchestrator.Storage.KeyVault;

/// <summary>
/// The secrets of every project in one Azure Key Vault, through Azure.Security.KeyVault.Secrets
/// with the host's credential (a managed identity in Azure). Names follow
/// <see cref="KeyVaultSecretNames"/> (<c>{project}--{key}</c>, escaped), and each secret set here
/// carries the tags <c>bo-project</c> and <c>bo-key</c> so people can see what it is.
/// <para>Guarantees:</para>
/// <list type="bullet">
/// <item><see cref="GetAsync"/> reads the current version; a secret that does not exist is "not
/// set" (null). A disabled secret, a missing role or an unreachable vault is a
/// <see cref="SecretStoreException"/> naming the vault and the secret name, never the value.</item>
/// <item><see cref="DeleteAsync"/> starts Key Vault's (soft) delete and does not wait for it; the
/// name stays taken until the deleted secret is purged or recovered, and setting it meanwhile
/// fails with what to run.</item>
/// </list>
/// The identity needs <c>Key Vault Secrets User</c> to read, <c>Key Vault Secrets Officer</c> to
/// set, delete and list.
/// </summary>
public sealed class KeyVaultSecretStore : ISecretStore
{
    public const string ProjectTag = "bo-project";
    public const string KeyTag = "bo-key";

    private readonly SecretClient _client;

    /// <param name="vaultUri">The vault, e.g. <c>https://myvault.vault.azure.net/</c>.</param>
    /// <param name="credential">The host's credential (DefaultAzureCredential, a managed identity).</param>
    /// <param name="options">Client options (a test sets <see cref="ClientOptions.Transport"/>).</param>
    public KeyVaultSecretStore(Uri vaultUri, TokenCredential credential, SecretClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(credential);
        VaultUri = vaultUri;
        _client = new SecretClient(vaultUri, credential, options ?? new SecretClientOptions());
    }

    public Uri VaultUri { get; }

    public async Task<string?> GetAsync(string project, string key, CancellationToken cancellationToken)
    {
        var name = NameOf(project, key);
        try
        {
            var secret = await _client.GetSecretAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return secret.Value.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e)
        {
            throw Failure("read", name, e);
        }
    }

    public async Task SetAsync(string project, string key, string value, CancellationToken cancellationToken)
    {
        SecretNames.Validate(key);
        ArgumentNullException.ThrowIfNull(value);
        var name = NameOf(project, key);
        var secret = new KeyVaultSecret(name, value);
        secret.Properties.ContentType = "text/plain";
        secret.Properties.Tags[ProjectTag] = project;
        secret.Properties.Tags[KeyTag] = key;
        try
        {
            await _client.SetSecretAsync(secret, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            throw new SecretStoreException(
                $"Key Vault {VaultUri} keeps a deleted secret named {name} ({e.ErrorCode}): recover it (az keyvault secret recover --vault-name {VaultName} --name {name}) " +
                $"or purge it (az keyvault secret purge --vault-name {VaultName} --name {name}), then set it again",
                e);
        }
        catch (RequestFailedException e)
        {
            throw Failure("write", name, e);
        }
    }

    public async Task<bool> DeleteAsync(string project, string key, CancellationToken cancellationToken)
    {
        var name = NameOf(project, key);
        try
        {
            await _client.StartDeleteSecretAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
        catch (RequestFailedException e)
        {
            throw Failure("delete", name, e);
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(string project, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        try
        {
            await foreach (var properties in _client.GetPropertiesOfSecretsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (KeyVaultSecretNames.KeyOf(project, properties.Name) is { } key && SecretNames.IsValid(key))
                {
                    keys.Add(key);
                }
            }
        }
        catch (RequestFailedException e)
        {
            throw Failure("list", KeyVaultSecretNames.Prefix(project) + "*", e);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private string VaultName => VaultUri.Host.Split('.')[0];

    private static string NameOf(string project, string key)
    {
        try
        {
            return KeyVaultSecretNames.For(project, key);
        }
        catch (ArgumentException e)
        {
            throw new SecretStoreException(e.Message);
        }
    }

    /// <summary>What went wrong, with the fix for the usual causes; the message never holds a value.</summary>
    private SecretStoreException Failure(string action, string name, RequestFailedException e)
    {
        var inner = InnerCode(e);
        var why = e.Status switch
        {
            403 when inner == "SecretDisabled" => "the secret is disabled",
            401 or 403 => "the host's identity may not do that: give it the 'Key Vault Secrets User' role on the vault (to read) or 'Key Vault Secrets Officer' (to set, delete, list)",
            0 => "the vault cannot be reached",
            _ => "Key Vault refused",
        };
        return new SecretStoreException($"cannot {action} {name} in Key Vault {VaultUri}: {why} ({e.Status} {inner ?? e.ErrorCode ?? "no error code"})", e);
    }

    /// <summary>Key Vault's <c>error.innererror.code</c> (e.g. <c>SecretDisabled</c>, <c>ForbiddenByRbac</c>), which says more than the top-level code.</summary>
    private static string? InnerCode(RequestFailedException e)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(e.GetRawResponse()?.Content.ToString() is { Length: > 0 } text ? text : "{}");
            return document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("innererror", out var innerError) && innerError.TryGetProperty("code", out var code)
                ? code.GetString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
