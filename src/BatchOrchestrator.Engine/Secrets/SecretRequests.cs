using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Engine.Secrets;

/// <summary>The parts of a request that may hold <c>${secret:...}</c>, resolved.</summary>
public static class SecretRequests
{
    /// <summary>A work operator's request with its command, config, params and <c>_env</c> resolved.</summary>
    public static async Task<TaskRequest> ResolveAsync(this SecretResolver resolver, TaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(request);
        return request with
        {
            Command = await resolver.ResolveAsync(request.Command, cancellationToken),
            Config = await resolver.ResolveAsync(request.Config, cancellationToken),
            Params = await resolver.ResolveAsync(request.Params, cancellationToken),
            Environment = await resolver.ResolveAsync(request.Environment, cancellationToken),
        };
    }

    /// <summary>
    /// A command with its arguments, environment values and files resolved, and
    /// <see cref="CommandRequest.SecretParts"/> saying which of them held a secret.
    /// </summary>
    public static async Task<CommandRequest> ResolveAsync(this SecretResolver resolver, CommandRequest command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(command);
        if (!SecretReferences.AnyIn(command))
        {
            // Nothing to read, replace or mask: every launch passes here, and most hold no secret.
            return command with { SecretParts = CommandSecretParts.None };
        }

        return command with
        {
            Command = await resolver.ResolveAsync(command.Command, cancellationToken),
            Environment = await resolver.ResolveAsync(command.Environment, cancellationToken),
            Files = await resolver.ResolveAsync(command.Files, cancellationToken),
            SecretParts = new CommandSecretParts(
                [.. command.Environment.Where(e => SecretReferences.Keys(e.Value).Any()).Select(e => e.Key)],
                command.Command.Any(a => SecretReferences.Keys(a).Any()),
                command.Files.Values.Any(f => SecretReferences.Keys(f).Any())),
        };
    }
}
