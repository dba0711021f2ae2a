using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// The four ARM calls the executor makes, each one short: GET, PUT and DELETE of a container
/// group through Azure.ResourceManager's generic resources (the API version pinned in
/// <see cref="ArmClientOptions"/>, so no provider lookup), and the container logs call
/// through an Azure.Core pipeline with the same options (transport, retries) and credential.
/// Long-running operations are started, never awaited: the executor polls the group instead.
/// <para>Failures: throttling and ARM's own errors are sent again (<see cref="AciArmRetryPolicy"/>);
/// when they last, and for a refusal (400, 401, 403, 409, 422, ...), the call ends in a
/// <see cref="TaskFailure"/> that names the call and carries ARM's code and message — retryable
/// for the first kind, not for a refusal, which the same request would meet again.</para>
/// </summary>
public sealed class AciArm
{
    private static readonly ResourceType GroupType = new("Microsoft.ContainerInstance/containerGroups");

    private readonly ArmClient _arm;
    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly AciExecutorOptions _options;

    public AciArm(TokenCredential credential, AciExecutorOptions options, ArmClientOptions? clientOptions = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        clientOptions ??= new ArmClientOptions();
        clientOptions.SetApiVersion(GroupType, AciExecutorOptions.ApiVersion);
        clientOptions.RetryPolicy = new AciArmRetryPolicy(options.ArmRetry, clock ?? TimeProvider.System);
        _arm = new ArmClient(credential, options.SubscriptionId, clientOptions);
        var environment = clientOptions.Environment ?? ArmEnvironment.AzurePublicCloud;
        _endpoint = environment.Endpoint;
        _pipeline = HttpPipelineBuilder.Build(clientOptions, new BearerTokenAuthenticationPolicy(credential, environment.DefaultScope));
    }

    public ResourceIdentifier GroupId(string name) =>
        new($"/subscriptions/{_options.SubscriptionId}/resourceGroups/{_options.ResourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/{name}");

    /// <summary>The group, or null when there is none by that name.</summary>
    public async Task<GenericResourceData?> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _arm.GetGenericResources().GetAsync(GroupId(name), cancellationToken).ConfigureAwait(false);
            return response.Value.Data;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e)
        {
            throw Failure($"read container group {name}", e);
        }
    }

    /// <summary>Sends the PUT and returns as soon as ARM accepted it (201 + Azure-AsyncOperation): creating takes minutes.</summary>
    public async Task CreateAsync(string name, GenericResourceData data, CancellationToken cancellationToken)
    {
        try
        {
            await _arm.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Started, GroupId(name), data, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            throw Failure($"create container group {name}", e);
        }
    }

    /// <summary>Starts deleting the group; a group already gone is fine (delete is repeated after crashes).</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _arm.GetGenericResource(GroupId(name)).DeleteAsync(WaitUntil.Started, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already deleted.
        }
        catch (RequestFailedException e)
        {
            throw Failure($"delete container group {name}", e);
        }
    }

    /// <summary>
    /// The container's log as ACI keeps it (the whole of it while it runs, up to 4 MB; the last
    /// 16 KB once stopped), or null when there is none yet (the container has not started).
    /// </summary>
    public async Task<string?> ReadLogsAsync(string name, string container, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Get;
        request.Uri.Reset(_endpoint);
        request.Uri.AppendPath(GroupId(name).ToString(), escape: false);
        request.Uri.AppendPath("/containers/", escape: false);
        request.Uri.AppendPath(container, escape: true);
        request.Uri.AppendPath("/logs", escape: false);
        request.Uri.AppendQuery("api-version", AciExecutorOptions.ApiVersion);
        request.Headers.Add("Accept", "application/json");
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (response.Status is 400 or 404)
        {
            // No container instance yet (still pulling) or the group is gone: nothing to read.
            return null;
        }

        if (response.IsError)
        {
            throw Failure($"read the log of container group {name}", new RequestFailedException(response));
        }

        using var document = await JsonDocument.ParseAsync(response.ContentStream!, cancellationToken: cancellationToken).ConfigureAwait(false);
        return document.RootElement.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String ? content.GetString() : "";
    }

    /// <summary>What a failed call means for the task: ARM busy or failing (retryable) or a refusal (not).</summary>
    private TaskFailure Failure(string action, RequestFailedException e)
    {
        var where = $"{action} in resource group {_options.ResourceGroup}";
        var what = e.Status == 0 ? e.Message.Split('\n', 2)[0] : $"{e.Status.ToString(CultureInfo.InvariantCulture)} {e.ErrorCode}: {e.Message.Split('\n', 2)[0]}";
        var retry = _options.ArmRetry;
        return e.Status == 0 || AciArmRetry.IsTransient(e.Status)
            ? new TaskFailure(
                $"ARM did not {where}: {what} (still so after {retry.MaxTries.ToString(CultureInfo.InvariantCulture)} tries or " +
                $"{retry.MaxWait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s of waiting; Azure is throttling or failing, a later try may pass)",
                retryable: true)
            : new TaskFailure($"ARM refused to {where}: {what}", retryable: false);
    }
}
