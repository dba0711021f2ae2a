using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace BatchOrchestrator.Engine.Operators.Builtin.Mail;

/// <summary>
/// Which TLS certificates <c>mail&gt;</c> accepts from a server: by default, as MailKit does, one
/// the system trusts and that names the host connected to. A host may add roots of its own (a
/// company relay's private CA): a certificate that chains to one of them is accepted too — still
/// only when it names the host. Private CAs seldom publish revocation lists, so their chains are
/// not checked for revocation.
/// </summary>
public sealed class MailServerTrust(X509Certificate2Collection extraRoots)
{
    /// <summary>MailKit's hook: null keeps its own validation (the system's roots).</summary>
    internal RemoteCertificateValidationCallback? Callback => extraRoots.Count == 0 ? null : Validate;

    private bool Validate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A name mismatch or no certificate is never excused; only the chain may end at one of our roots.
        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf);
    }
}
