using System.Collections.Concurrent;
using System.Globalization;
using Azure.Core;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;
using BatchOrchestrator.Engine.Secrets;
using BatchOrchestrator.Engine.Stores;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// Runs commands in Azure Container Instances (<c>container.executor: aci</c>): one container
/// group per task try, through ARM.
/// <para>Guarantees:</para>
/// <list type="bullet">
/// <item>The group name is derived from (attempt, task, try). Launch reads the group (GET)
/// before it creates it (PUT) and never PUTs a group that exists — a re-PUT of a finished group
/// would run it again. An existing group is adopted after its tags are checked to be this try's.</item>
/// <item>No call waits for ARM's long-running operations: launch returns once the PUT is
/// accepted; each poll is one GET of the group plus one read of its log.</item>
/// <item>Output is copied into the task log at every poll and once more before the group is
/// deleted, without duplicates (see <see cref="AciLogPosition"/>). Limitation: ACI keeps only
/// the last 16 KB of a stopped container's log, so output written between the last poll of a
/// running container and its end beyond that is lost — the log says so where it happens.</item>
/// <item>A container that cannot pull its image fails the try after
/// <see cref="AciExecutorOptions.ImagePullTimeout"/>, with the reason and ACI's events.</item>
/// <item>A task timeout is enforced at poll time. Cleanup (after the logs are collected) and
/// cancel delete the group; deleting one already gone is fine.</item>
/// <item>Environment values, the command line and the files that came from secrets go as
/// <c>secureValue</c> (see <see cref="CommandRequest.SecretParts"/>).</item>
/// <item><c>container.secrets</c> names secrets in the host's Key Vault
/// (<see cref="AciExecutorOptions.KeyVaultUri"/>, see <see cref="AciSecretReference"/>); their
/// values are read at launch with the host's credential and go as <c>secureValue</c>. They are
/// masked in the task log and in failure messages like <c>${secret:...}</c> values — also by a
/// host that did not launch the try (it reads them again by name).</item>
/// </list>
/// </summary>
public sealed class AciCommandExecutor : ICommandExecutor
{
    public const string ExecutorName = AciCommandData.Executor;

    private readonly MaskingLogStore _logStore;
    private readonly bool _ownsMasking;
    private readonly AciExecutorOptions _options;
    private readonly AciArm _arm;
    private readonly AciKeyVault? _vault;
    private readonly TimeProvider _clock;

    /// <summary>Key Vault values of the tries this host has seen, by group name (read once per try, forgotten at cleanup).</summary>
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _vaultValues = new(StringComparer.Ordinal);

    /// <param name="logStore">Where output goes (the host's masking log store).</param>
    /// <param name="credential">The host's Azure credential (e.g. a managed identity).</param>
    /// <param name="options">Subscription, resource group, location, identity, defaults.</param>
    /// <param name="clientOptions">ARM client options (a test sets <see cref="Azure.Core.ClientOptions.Transport"/>).</param>
    /// <param name="clock">The clock for timeouts; the system clock by default.</param>
    /// <param name="keyVaultOptions">Key Vault client options (a test sets <see cref="Azure.Core.ClientOptions.Transport"/>).</param>
    public AciCommandExecutor(ILogStore logStore, TokenCredential credential, AciExecutorOptions options, ArmClientOptions? clientOptions = null, TimeProvider? clock = null, SecretClientOptions? keyVaultOptions = null)
    {
        ArgumentNullException.ThrowIfNull(logStore);
        ArgumentNullException.ThrowIfNull(options);

        // Key Vault values are masked like ${secret:...} ones: through the host's masking store, or one of our own.
        _ownsMasking = logStore is not MaskingLogStore;
        _logStore = logStore as MaskingLogStore ?? new MaskingLogStore(logStore);
        _options = options;
        _clock = clock ?? TimeProvider.System;
        _arm = new AciArm(credential, options, clientOptions, _clock);
        _vault = options.KeyVaultUri is { } vaultUri ? new AciKeyVault(vaultUri, credential, keyVaultOptions) : null;
    }

    public string Name => ExecutorName;

    public async Task<CommandStatus> LaunchAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = new AciTryKey(request.AttemptId, request.TaskName, request.Try);
        var now = _clock.GetUtcNow();
        var references = AciSecretReference.Read(request.Container);
        var data = new AciCommandData(key, request.Log, now, now + request.Timeout, AciLogPosition.Start, null) { SecretReferences = [.. references.Select(r => r.Text)] };
        var vaultValues = await MaskVaultValuesAsync(data, cancellationToken).ConfigureAwait(false);
        var existing = await _arm.GetAsync(key.GroupName, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (!key.Owns(existing.Tags.AsReadOnly()))
            {
                throw new TaskFailure(
                    $"Container group {key.GroupName} in resource group {_options.ResourceGroup} exists but was not made for this try " +
                    $"(attempt {request.AttemptId}, task {request.TaskName}, try {request.Try}); delete it or check who else creates groups there.",
                    retryable: false);
            }

            // Launched before (a repeated delivery, or a host restarted): adopt it, whatever its state.
            return await PollAsync(data.ToState(), cancellationToken).ConfigureAwait(false);
        }

        var spec = AciGroupSpec.Build(request, key, _options, vaultValues);
        await _arm.CreateAsync(key.GroupName, spec, cancellationToken).ConfigureAwait(false);

        return new CommandStatus { Phase = CommandPhase.Pending, State = data.ToState(), PollAfter = _options.PollInterval };
    }

    public async Task<CommandStatus> PollAsync(CommandState state, CancellationToken cancellationToken)
    {
        var data = AciCommandData.From(state);
        await MaskVaultValuesAsync(data, cancellationToken).ConfigureAwait(false);
        return Masked(data.Log, await PollCoreAsync(data, state, cancellationToken).ConfigureAwait(false));
    }

    public async Task<CommandState> CollectLogsAsync(CommandState state, CancellationToken cancellationToken)
    {
        var data = AciCommandData.From(state);
        await MaskVaultValuesAsync(data, cancellationToken).ConfigureAwait(false);
        var (copied, _) = await CopyLogsAsync(data, cancellationToken).ConfigureAwait(false);
        if (_ownsMasking)
        {
            // The engine completes its own masking store after collecting; ours is completed here.
            await _logStore.CompleteAsync(data.Log, cancellationToken).ConfigureAwait(false);
        }

        return copied.ToState();
    }

    public Task CancelAsync(CommandState state, CancellationToken cancellationToken) =>
        DeleteAsync(AciCommandData.From(state), cancellationToken);

    public Task CleanupAsync(CommandState state, CancellationToken cancellationToken) =>
        DeleteAsync(AciCommandData.From(state), cancellationToken);

    private async Task DeleteAsync(AciCommandData data, CancellationToken cancellationToken)
    {
        await _arm.DeleteAsync(data.GroupName, cancellationToken).ConfigureAwait(false);
        _vaultValues.TryRemove(data.GroupName, out _);
    }

    /// <summary>
    /// Reads the try's Key Vault values (once per try on this host) and makes the masking store
    /// mask them in its log, besides what it masks already. Returns them by variable.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> MaskVaultValuesAsync(AciCommandData data, CancellationToken cancellationToken)
    {
        if (data.SecretReferences.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        if (!_vaultValues.TryGetValue(data.GroupName, out var values))
        {
            if (_vault is null)
            {
                throw new TaskFailure(
                    "container.secrets names Key Vault secrets, but this host has no Key Vault for ACI: set BO_ACI_KEYVAULT_URI (or BO_KEYVAULT_URI) to the vault's URI (see docs/executors-aci.md)",
                    retryable: false);
            }

            values = await _vault.ReadAsync([.. data.SecretReferences.Select(AciSecretReference.Parse)], cancellationToken).ConfigureAwait(false);
            _vaultValues[data.GroupName] = values;
        }

        var registered = _logStore.MaskerOf(data.Log);
        var masked = values.Values.Where(v => v.Length >= SecretMasker.MinimumLength).ToList();
        if (masked.Count > 0 && (registered is null || masked.Any(v => registered.Mask(v).Contains(v, StringComparison.Ordinal))))
        {
            _logStore.Register(data.Log, (registered ?? SecretMasker.None).AndEncodedForms(masked));
        }

        return values;
    }

    /// <summary>The status with the try's masked values (Key Vault's included) out of its failure message and output.</summary>
    private CommandStatus Masked(TaskLogKey log, CommandStatus status) =>
        _logStore.MaskerOf(log) is not { } masker
            ? status
            : status with
            {
                FailureMessage = status.FailureMessage is { } failure ? masker.Mask(failure) : null,
                OutputText = status.OutputText is { } output ? masker.Mask(output) : null,
            };

    private async Task<CommandStatus> PollCoreAsync(AciCommandData data, CommandState state, CancellationToken cancellationToken)
    {
        var group = await _arm.GetAsync(data.GroupName, cancellationToken).ConfigureAwait(false);
        if (group is null)
        {
            return new CommandStatus
            {
                Phase = CommandPhase.Lost,
                State = state,
                FailureMessage = $"Container group {data.GroupName} no longer exists (deleted outside the engine); its exit status and the rest of its output are lost. The try must run again.",
            };
        }

        var view = AciGroupView.Parse(group.Tags.AsReadOnly(), group.Properties, AciGroupSpec.ContainerName);

        // Read after the GET: once the GET says terminated, this read has all the output there is.
        var (copied, tail) = await CopyLogsAsync(data, cancellationToken).ConfigureAwait(false);
        data = copied;
        var current = data.ToState();
        var now = _clock.GetUtcNow();
        if (view.IsTerminated)
        {
            var exitCode = view.ExitCode ?? -1;
            return new CommandStatus
            {
                Phase = exitCode == 0 ? CommandPhase.Succeeded : CommandPhase.Failed,
                State = current,
                ExitCode = exitCode,
                OutputText = data.Output,
                FailureMessage = exitCode == 0 ? null : ExitMessage(data, view, tail),
            };
        }

        var failure = FailureOf(data, view, now);
        if (failure is not null)
        {
            return new CommandStatus { Phase = CommandPhase.Failed, State = current, FailureMessage = failure.Message, StuckReason = failure.StuckReason };
        }

        var phase = view.ContainerState == "Running" ? CommandPhase.Running : CommandPhase.Pending;
        return new CommandStatus { Phase = phase, State = current, PollAfter = _options.PollInterval };
    }

    /// <summary>Appends what is new in the container's log; returns the state that remembers it, and the log text read.</summary>
    private async Task<(AciCommandData Data, string Tail)> CopyLogsAsync(AciCommandData data, CancellationToken cancellationToken)
    {
        var content = await _arm.ReadLogsAsync(data.GroupName, AciGroupSpec.ContainerName, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            return (data, "");
        }

        var delta = AciLogDelta.Read(content, data.LogPosition);
        if (delta.Text.Length > 0)
        {
            await _logStore.AppendAsync(data.Log, delta.Text, cancellationToken).ConfigureAwait(false);
        }

        return (data with { LogPosition = delta.Position, Output = delta.Output ?? data.Output }, content);
    }

    /// <summary>Why a group that has not finished must fail now, and the metric word when it never started; null to keep waiting.</summary>
    private GroupFailure? FailureOf(AciCommandData data, AciGroupView view, DateTimeOffset now)
    {
        var waited = now - data.LaunchedAt;
        if (view.ProvisioningState == "Failed" || view.GroupState is "Failed" or "Stopped")
        {
            return new($"Container group {data.GroupName} {(view.GroupState == "Stopped" ? "was stopped" : "failed")} before its container finished ({view.DetailStatus ?? view.ProvisioningState}). Events:\n{view.DescribeEvents()}");
        }

        if (view.HasImagePullError && waited >= _options.ImagePullTimeout)
        {
            return new($"The image of container group {data.GroupName} could not be pulled for {Minutes(waited)} ({view.DetailStatus ?? "image pull error"}). " +
                $"Check the image name and tag, and that the identity has AcrPull on the registry. Events:\n{view.DescribeEvents()}", "image_pull");
        }

        if (view.ContainerState != "Running" && waited >= _options.PendingTimeout)
        {
            return new($"Container group {data.GroupName} did not start within {Minutes(waited)} (state {view.ContainerState ?? view.GroupState ?? view.ProvisioningState ?? "unknown"}). Events:\n{view.DescribeEvents()}", "pending_timeout");
        }

        if (data.Deadline is { } deadline && now >= deadline)
        {
            return new($"The command timed out after {Minutes(deadline - data.LaunchedAt)} in container group {data.GroupName}; the group is deleted.");
        }

        return null;
    }

    /// <summary>A group's failure: the task's message, and for a group that never started, why as a metric word.</summary>
    private sealed record GroupFailure(string Message, string? StuckReason = null);

    private string ExitMessage(AciCommandData data, AciGroupView view, string log)
    {
        var lines = AciLogDelta.Read(log, AciLogPosition.Start).Text.TrimEnd('\n').Split('\n');
        var last = string.Join('\n', lines.TakeLast(_options.FailureTailLines));
        var detail = view.DetailStatus is { Length: > 0 } status ? $" ({status})" : "";
        return last.Length == 0
            ? $"Command failed with exit code {view.ExitCode}{detail} in container group {data.GroupName}."
            : $"Command failed with exit code {view.ExitCode}{detail} in container group {data.GroupName}. Last lines:\n{last}";
    }

    private static string Minutes(TimeSpan span) =>
        span.TotalMinutes >= 1 ? $"{span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min" : $"{span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";
}
