using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BatchOrchestrator.Executors.Tests.Aci;

/// <summary>
/// What ARM checks in a container group PUT before it accepts it, with its 400 error codes:
/// the group's name (1–63 lowercase letters, digits and single hyphens, not at either end), a
/// location where ACI runs, tags (at most 50, names up to 512 characters, values up to 256),
/// <c>osType</c>, <c>restartPolicy</c>, and each container's name (the same rule as the group's),
/// image, environment variables (a name, and a value or a secure value) and resource requests
/// (both CPU and memory, memory in tenths of a GB, at most 4 cores and 16 GB for a Linux group).
/// </summary>
internal static partial class FakeArmValidation
{
    /// <summary>Regions the fake serves (a few of ACI's).</summary>
    public static readonly IReadOnlyList<string> Regions = ["japaneast", "japanwest", "eastus", "westus2", "westeurope", "northeurope", "southeastasia"];

    public const double MaxCpu = 4;
    public const double MaxMemoryGb = 16;

    /// <summary>Null when ARM would accept the body; else its error code and message.</summary>
    public static (string Code, string Message)? Check(string name, JsonObject body)
    {
        if (!ValidName(name))
        {
            return ("InvalidResourceName", $"The container group name '{name}' is invalid. It must be 1 to 63 characters long, contain only lowercase letters, numbers and hyphens, not start or end with a hyphen, and not contain consecutive hyphens.");
        }

        var location = body["location"]?.GetValue<string>();
        if (string.IsNullOrEmpty(location))
        {
            return ("LocationRequired", "The location property is required for this definition.");
        }

        if (!Regions.Contains(location.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant()))
        {
            return ("LocationNotAvailableForResourceType", $"The provided location '{location}' is not available for resource type 'Microsoft.ContainerInstance/containerGroups'. List of available regions for the resource type is '{string.Join(',', Regions)}'.");
        }

        if (Tags(body["tags"] as JsonObject) is { } tagError)
        {
            return ("InvalidTag", tagError);
        }

        if (body["properties"] is not JsonObject properties)
        {
            return ("InvalidRequestContent", "The request content is not valid: 'properties' is required.");
        }

        if (properties["osType"]?.GetValue<string>() is not ("Linux" or "Windows"))
        {
            return ("InvalidOsType", $"The 'osType' for container group '{name}' is invalid. The value must be one of 'Windows,Linux'.");
        }

        if (properties["restartPolicy"]?.GetValue<string>() is { } restart && restart is not ("Always" or "OnFailure" or "Never"))
        {
            return ("InvalidRestartPolicy", $"The restart policy '{restart}' of container group '{name}' is invalid. The value must be one of 'Always,OnFailure,Never'.");
        }

        if (properties["containers"] is not JsonArray { Count: > 0 } containers)
        {
            return ("NoContainersInContainerGroup", $"The container group '{name}' should have at least one container.");
        }

        double cpu = 0, memory = 0;
        foreach (var container in containers.OfType<JsonObject>())
        {
            if (Container(name, container, ref cpu, ref memory) is { } error)
            {
                return error;
            }
        }

        return cpu > MaxCpu || memory > MaxMemoryGb
            ? ("ResourceRequestsNotSupported", $"The requested resource with '{cpu.ToString(CultureInfo.InvariantCulture)}' CPU and '{memory.ToString(CultureInfo.InvariantCulture)}' GB memory is not supported in location '{location}' for 'Linux' OS. The maximum is '{MaxCpu}' CPU and '{MaxMemoryGb}' GB memory per container group.")
            : null;
    }

    private static (string Code, string Message)? Container(string group, JsonObject container, ref double cpu, ref double memory)
    {
        var name = container["name"]?.GetValue<string>() ?? string.Empty;
        if (!ValidName(name))
        {
            return ("InvalidContainerName", $"The container name '{name}' in container group '{group}' is invalid. A valid container name must consist of lower case alphanumeric characters or '-', start and end with an alphanumeric character, and be 1 to 63 characters long.");
        }

        var properties = container["properties"] as JsonObject;
        if (string.IsNullOrWhiteSpace(properties?["image"]?.GetValue<string>()))
        {
            return ("InvalidContainerImage", $"The image of container '{name}' in container group '{group}' is required.");
        }

        foreach (var variable in properties["environmentVariables"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var variableName = variable["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(variableName) || (variable["value"] is null) == (variable["secureValue"] is null))
            {
                return ("InvalidEnvironmentVariable", $"The environment variable '{variableName}' of container '{name}' in container group '{group}' must have a name and either a value or a secure value.");
            }
        }

        var requests = properties["resources"]?["requests"] as JsonObject;
        if (requests?["cpu"] is null || requests["memoryInGB"] is null)
        {
            return ("ResourceRequestsNotSpecified", $"The resource requests are not specified in container '{name}' of contain group '{group}'. Both memory and CPU requests are required since API version '2017-07-01-preview'.");
        }

        var cores = requests["cpu"]!.GetValue<double>();
        var gb = requests["memoryInGB"]!.GetValue<double>();
        if (cores <= 0 || gb <= 0 || Math.Abs((gb * 10) - Math.Round(gb * 10)) > 1e-9)
        {
            return ("InvalidContainerResourceRequest", $"The resource request of container '{name}' in container group '{group}' is invalid: CPU must be positive and memory a positive multiple of 0.1 GB (got '{cores.ToString(CultureInfo.InvariantCulture)}' CPU, '{gb.ToString(CultureInfo.InvariantCulture)}' GB).");
        }

        cpu += cores;
        memory += gb;
        return null;
    }

    private static string? Tags(JsonObject? tags)
    {
        if (tags is null)
        {
            return null;
        }

        if (tags.Count > 50)
        {
            return $"The resource has {tags.Count} tags; at most 50 are allowed.";
        }

        foreach (var (tagName, value) in tags)
        {
            if (tagName.Length > 512)
            {
                return $"The tag name '{tagName[..20]}...' exceeds the maximum length of 512 characters.";
            }

            if (value?.GetValue<string>() is { Length: > 256 } text)
            {
                return $"The value of tag '{tagName}' exceeds the maximum length of 256 characters ({text.Length}).";
            }
        }

        return null;
    }

    private static bool ValidName(string name) => name.Length is >= 1 and <= 63 && NamePattern().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex NamePattern();
}
