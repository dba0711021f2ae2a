namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// Host settings of <see cref="AciCommandExecutor"/>: where container groups are made and with
/// which identity. They come from the host's configuration, never from workflow files — a
/// workflow only says <c>container: {executor: aci, image: ..., cpu: ..., memory: ...}</c>.
/// </summary>
public sealed record AciExecutorOptions
{
    /// <summary>The API version every container group call uses (pinned, so ARM never has to be asked which one it supports).</summary>
    public const string ApiVersion = "2023-05-01";

    public required string SubscriptionId { get; init; }

    public required string ResourceGroup { get; init; }

    /// <summary>The Azure region of the container groups, e.g. <c>japaneast</c>.</summary>
    public required string Location { get; init; }

    /// <summary>
    /// Resource id of a user-assigned managed identity. It is the container group's identity and
    /// pulls images from registries (AcrPull on them); null for public images only.
    /// </summary>
    public string? IdentityResourceId { get; init; }

    /// <summary>
    /// The Key Vault that <c>container.secrets</c> names secrets in (e.g.
    /// <c>https://myvault.vault.azure.net/</c>), read with the host's credential; null when tasks
    /// may not name any.
    /// </summary>
    public Uri? KeyVaultUri { get; init; }

    /// <summary>CPU cores when the task's <c>container:</c> does not say.</summary>
    public double DefaultCpu { get; init; } = 1;

    /// <summary>Memory in GB when the task's <c>container:</c> does not say.</summary>
    public double DefaultMemoryGb { get; init; } = 1.5;

    /// <summary>How long the orchestrator waits (on a durable timer) between polls.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a container may keep failing to pull its image before the task fails. Short pull
    /// hiccups recover by themselves; a wrong name or a missing AcrPull role never does.
    /// </summary>
    public TimeSpan ImagePullTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How long a group may stay pending for any other reason (no capacity in the region) before the task fails.</summary>
    public TimeSpan PendingTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How many last lines of output a failure message carries.</summary>
    public int FailureTailLines { get; init; } = 20;

    /// <summary>
    /// How an ARM call is repeated when ARM throttles (429) or fails on its side (408, 5xx, a
    /// dropped connection): see <see cref="AciArmRetry"/>. A refusal (400, 403, 409, ...) is never repeated.
    /// </summary>
    public AciArmRetry ArmRetry { get; init; } = new();
}
