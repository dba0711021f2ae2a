using Azure.Core;
using BatchOrchestrator.Executors.Kubernetes.Auth;
using BatchOrchestrator.Executors.Kubernetes.Client;
using BatchOrchestrator.Executors.Tests.Aci;
using BatchOrchestrator.Executors.Tests.Kubernetes.Fake;
using k8s;

namespace BatchOrchestrator.Executors.Tests.Kubernetes.Config;

[TestClass]
public sealed class EntraTokenSourceTests
{
    [TestMethod]
    public async Task Tokens_are_asked_for_the_AKS_scope_and_kept_until_shortly_before_expiry()
    {
        var clock = new ManualClock();
        var credential = new CountingCredential(clock.GetUtcNow().AddHours(1));
        var source = new EntraTokenSource(credential, clock);

        var first = await source.BearerAsync();
        clock.Advance(TimeSpan.FromMinutes(54));
        var cached = await source.BearerAsync();
        clock.Advance(TimeSpan.FromMinutes(2));
        var renewed = await source.BearerAsync();

        Assert.AreEqual("entra-1", first);
        Assert.AreEqual("entra-1", cached);
        Assert.AreEqual("entra-2", renewed);
        CollectionAssert.AreEqual(new[] { "6dae42f8-4368-4678-94ff-3960e28e3630/.default" }, credential.Scopes);
    }

    [TestMethod]
    public async Task The_fake_server_accepts_the_Entra_token()
    {
        using var certificates = new TestCertificates();
        await using var server = await FakeKubernetesServer.StartAsync(new FakeServerOptions { Token = "entra-1", ServerCertificate = certificates.Server });
        using var api = KubernetesClients.Create(new KubernetesConnection(server.BaseUri, [certificates.Ca], Token: new EntraTokenSource(new CountingCredential(DateTimeOffset.UtcNow.AddHours(1)))));

        var list = await api.BatchV1.ListNamespacedJobAsync("batch");

        Assert.AreEqual(0, list.Items.Count);
    }

    /// <summary>Gives "entra-N" on the N-th request, valid until a fixed time plus an hour per renewal.</summary>
    private sealed class CountingCredential(DateTimeOffset expires) : TokenCredential
    {
        private int _count;

        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes = requestContext.Scopes;
            _count++;
            return new AccessToken($"entra-{_count}", expires.AddHours(_count - 1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
