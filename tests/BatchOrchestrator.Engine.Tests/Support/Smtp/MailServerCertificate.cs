using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BatchOrchestrator.Engine.Tests.Support.Smtp;

/// <summary>
/// A TLS identity for the test SMTP server, made in memory: a throwaway CA and a server
/// certificate it issued for the given names (host names or IP addresses), as PEM for Node.js.
/// </summary>
internal sealed class MailServerCertificate : IDisposable
{
    public MailServerCertificate(params string[] names)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=mail test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, critical: true));
        Ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + names[0], key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var server = request.Create(Ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(12));
        CertPem = server.ExportCertificatePem() + "\n" + Ca.ExportCertificatePem();
        KeyPem = key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The issuing CA (public part), for the client to trust.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The server certificate and the CA, PEM.</summary>
    public string CertPem { get; }

    public string KeyPem { get; }

    public void Dispose() => Ca.Dispose();
}
