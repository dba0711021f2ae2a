using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.ResourceManager.Models;
using Azure.ResourceManager.Resources;
using BatchOrchestrator.Engine.Executors;
using BatchOrchestrator.Engine.Operators;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// The container group a try runs in: one Linux container named <see cref="ContainerName"/>,
/// <c>restartPolicy: Never</c> (the engine owns retries), the command wrapped by
/// <see cref="AciCommandScript"/>, CPU and memory from <c>container:</c>, the tags of the try,
/// and the host's user-assigned identity both as the group's identity and for pulling from
/// Azure Container Registries. Values that came from secrets go as <c>secureValue</c>, which
/// ARM never returns.
/// </summary>
public static class AciGroupSpec
{
    public const string ContainerName = "main";

    /// <exception cref="TaskFailure">The task's <c>container:</c> settings are wrong (not retryable).</exception>
    /// <param name="request">The try's command.</param>
    /// <param name="key">The try.</param>
    /// <param name="options">The host's settings.</param>
    /// <param name="vaultValues">Values read from Key Vault for <c>container.secrets</c>, by variable: secure values, and they win over the task's variables of the same name.</param>
    public static GenericResourceData Build(CommandRequest request, AciTryKey key, AciExecutorOptions options, IReadOnlyDictionary<string, string>? vaultValues = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        var container = request.Container is { ValueKind: JsonValueKind.Object } settings ? settings : default;
        var image = Setting(container, "image") is { ValueKind: JsonValueKind.String } imageValue && imageValue.GetString() is { Length: > 0 } text
            ? text
            : throw new TaskFailure("container.image is required with container.executor: aci (e.g. myacr.azurecr.io/etl:1.4)", retryable: false);
        var cpu = AciResources.Cpu(Setting(container, "cpu"), options.DefaultCpu);
        var memory = AciResources.MemoryGb(Setting(container, "memory"), options.DefaultMemoryGb);

        var properties = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = ContainerName,
                ["properties"] = new JsonObject
                {
                    ["image"] = image,
                    ["command"] = new JsonArray([.. AciCommandScript.ContainerCommand.Select(a => (JsonNode)a)]),
                    ["environmentVariables"] = Environment(request, vaultValues ?? new Dictionary<string, string>()),
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu, ["memoryInGB"] = memory } },
                },
            }),
            ["osType"] = "Linux",
            ["restartPolicy"] = "Never",
            ["sku"] = "Standard",
        };
        if (options.IdentityResourceId is { } identity && RegistryOf(image) is { } registry && registry.EndsWith(".azurecr.io", StringComparison.OrdinalIgnoreCase))
        {
            properties["imageRegistryCredentials"] = new JsonArray(new JsonObject { ["server"] = registry, ["identity"] = identity });
        }

        var data = new GenericResourceData(new AzureLocation(options.Location))
        {
            Properties = BinaryData.FromString(properties.ToJsonString()),
        };
        foreach (var (name, value) in key.Tags())
        {
            data.Tags[name] = value;
        }

        if (options.IdentityResourceId is { } identityId)
        {
            data.Identity = new ManagedServiceIdentity(ManagedServiceIdentityType.UserAssigned);
            data.Identity.UserAssignedIdentities[new ResourceIdentifier(identityId)] = new UserAssignedIdentity();
        }

        return data;
    }

    /// <summary>The registry host of an image reference, or null for Docker Hub (<c>python:3.12</c>, <c>library/x</c>).</summary>
    public static string? RegistryOf(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return null;
        }

        var first = image[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ? first : null;
    }

    private static JsonArray Environment(CommandRequest request, IReadOnlyDictionary<string, string> vaultValues)
    {
        var secret = new HashSet<string>(request.SecretParts.Environment, StringComparer.Ordinal);
        var variables = new JsonArray();
        foreach (var (name, value) in request.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (name is AciCommandScript.CommandVariable or AciCommandScript.FilesVariable or "BO_TASK_DIR" or "BO_OUTPUT" || vaultValues.ContainsKey(name))
            {
                continue;
            }

            variables.Add(Variable(name, value, secret.Contains(name)));
        }

        foreach (var (name, value) in vaultValues.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (name is not (AciCommandScript.CommandVariable or AciCommandScript.FilesVariable or "BO_TASK_DIR" or "BO_OUTPUT"))
            {
                variables.Add(Variable(name, value, secure: true));
            }
        }

        variables.Add(Variable(AciCommandScript.CommandVariable, AciCommandScript.Quote(request.Command), request.SecretParts.Command));
        if (AciCommandScript.PackFiles(request.Files) is { } files)
        {
            variables.Add(Variable(AciCommandScript.FilesVariable, files, request.SecretParts.Files));
        }

        return variables;
    }

    // A node, not an object: JsonArray.Add<T> of a node's subtype would describe it by reflection.
    private static JsonNode Variable(string name, string value, bool secure) =>
        new JsonObject { ["name"] = name, [secure ? "secureValue" : "value"] = value };

    private static JsonElement? Setting(JsonElement container, string name) =>
        container.ValueKind == JsonValueKind.Object && container.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
