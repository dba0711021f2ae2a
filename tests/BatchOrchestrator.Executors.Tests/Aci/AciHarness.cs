using System.Text.Json;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Stores;
using BatchOrchestrator.Executors.Aci;
using BatchOrchestrator.Storage.Tests.KeyVault;
using BatchOrchestrator.Executors.Tests.Support;

namespace BatchOrchestrator.Executors.Tests.Aci;

/// <summary>An ACI executor over <see cref="FakeArm"/>, a memory log store and a manual clock.</summary>
internal sealed class AciHarness : IDisposable
{
    public const string Identity = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/batch";

    private readonly HttpClient _http;

    /// <param name="options">Host settings; the fake's subscription and group by default.</param>
    /// <param name="vault">A fake Key Vault for <c>container.secrets</c> (its URI becomes the host's).</param>
    public AciHarness(AciExecutorOptions? options = null, FakeKeyVault? vault = null)
    {
        _http = new HttpClient(Arm);
        Options = options ?? new AciExecutorOptions
        {
            SubscriptionId = FakeArm.Subscription,
            ResourceGroup = FakeArm.ResourceGroup,
            Location = "japaneast",
            IdentityResourceId = Identity,
            KeyVaultUri = vault?.VaultUri,
        };
        Executor = NewExecutor(vault);
    }

    /// <summary>Another executor on the same fake ARM, log store and clock: a second host (after a restart).</summary>
    public AciCommandExecutor NewExecutor(FakeKeyVault? vault = null)
    {
        // Retries are the executor's own (AciArmRetry, waiting on the manual clock).
        var clientOptions = new ArmClientOptions { Transport = new HttpClientTransport(_http) };
        SecretClientOptions? vaultOptions = null;
        if (vault is not null)
        {
            vaultOptions = new SecretClientOptions { Transport = new HttpClientTransport(new HttpClient(vault)) };
            vaultOptions.Retry.MaxRetries = 0;
        }

        // A credential that serves both ARM and the vault's challenge (it remembers what the vault asked for).
        return new AciCommandExecutor(Logs, vault is null ? Credential : vault.Credential, Options, clientOptions, Clock, vaultOptions);
    }

    public FakeArm Arm { get; } = new();

    public FakeCredential Credential { get; } = new();

    public MemoryLogStore Logs { get; } = new();

    public ManualClock Clock { get; } = new();

    public AciExecutorOptions Options { get; }

    public AciCommandExecutor Executor { get; }

    /// <summary>An <c>sh&gt;</c>-like request for a fresh try, in <paramref name="image"/>.</summary>
    public static CommandRequest Sh(string script, string image = "myacr.azurecr.io/etl:1.4", object? container = null)
    {
        var n = Guid.NewGuid().ToString("N")[..8];
        return new CommandRequest
        {
            AttemptId = $"attempt-{n}",
            TaskName = $"+daily+collect_{n}",
            Try = 1,
            Command = ["/bin/sh", "-c", script],
            WorkingDirectory = "/work/project",
            Container = JsonSerializer.SerializeToElement(container ?? new { executor = "aci", image }),
            Log = new TaskLogKey("p", "daily", "2026-11-21T00:00:00+00:00", "a", $"+daily+collect_{n}", 1),
        };
    }

    public FakeArmGroup GroupOf(CommandRequest request) => Arm.Group(new AciTryKey(request.AttemptId, request.TaskName, request.Try).GroupName);

    public string Log(CommandRequest request) => Logs.Text(request.Log);

    public Task<CommandStatus> PollAsync(CommandStatus status) => Executor.PollAsync(status.State, CancellationToken.None);

    /// <summary>What the orchestrator does at the end: collect the logs once more, then clean up.</summary>
    public async Task FinishAsync(CommandStatus status)
    {
        var state = await Executor.CollectLogsAsync(status.State, CancellationToken.None);
        await Executor.CleanupAsync(state, CancellationToken.None);
    }

    public void Dispose() => _http.Dispose();
}
