using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// Reads the Key Vault secrets a task's <c>container.secrets</c> names, with the host's
/// credential (Azure.Security.KeyVault.Secrets). Failures name the vault and the secret, never a value.
/// </summary>
public sealed class AciKeyVault
{
    private readonly SecretClient _client;

    public AciKeyVault(Uri vaultUri, TokenCredential credential, SecretClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(credential);
        VaultUri = vaultUri;
        _client = new SecretClient(vaultUri, credential, options ?? new SecretClientOptions());
    }

    public Uri VaultUri { get; }

    /// <summary>The current value of each referenced secret, by variable.</summary>
    /// <exception cref="TaskFailure">A secret is missing or disabled, or the identity may not read it (not retryable); the vault did not answer (retryable).</exception>
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(IReadOnlyList<AciSecretReference> references, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            try
            {
                var secret = await _client.GetSecretAsync(reference.SecretName, cancellationToken: cancellationToken).ConfigureAwait(false);
                values[reference.Variable] = secret.Value.Value;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw new TaskFailure($"container.secrets names '{reference.SecretName}', which Key Vault {VaultUri} does not have (az keyvault secret set --vault-name {VaultUri.Host.Split('.')[0]} --name {reference.SecretName} ...)", retryable: false);
            }
            catch (RequestFailedException e) when (e.Status is 401 or 403)
            {
                throw new TaskFailure($"Key Vault {VaultUri} refused to give secret '{reference.SecretName}' ({e.Status} {e.ErrorCode}): it may be disabled, or the host's identity needs the 'Key Vault Secrets User' role on the vault", retryable: false);
            }
            catch (RequestFailedException e)
            {
                throw new TaskFailure($"Key Vault {VaultUri} could not be read for secret '{reference.SecretName}' ({e.Status} {e.ErrorCode})", retryable: true);
            }
        }

        return values;
    }
}
