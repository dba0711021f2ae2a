using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BatchOrchestrator.Deploy.Tests.Arm;

namespace BatchOrchestrator.Deploy.Tests.Support;

/// <summary>
/// What `azd provision` would create from infra/main.bicep for one azd environment: the compiled
/// template, given the parameters infra/main.parameters.json resolves to (azd's <c>${NAME}</c> and
/// <c>${NAME=default}</c>), deployed into <see cref="ArmDeployment"/>'s simulated subscription.
/// </summary>
internal sealed partial class Provisioned
{
    public const string Location = "westeurope";

    private Provisioned(ArmDeployment arm, IReadOnlyDictionary<string, string> environment)
    {
        Arm = arm;
        Environment = environment;
        Site = Single("Microsoft.Web/sites");
        var identities = (Site.Body["identity"]?["userAssignedIdentities"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
        IdentityId = identities.Count == 1 ? identities[0] : throw new InvalidOperationException($"The Function App has {identities.Count} user-assigned identities; the app settings name one (AZURE_CLIENT_ID).");
        ClientId = ArmDeployment.AsString(arm.Runtime(IdentityId)["clientId"], "clientId");
        PrincipalId = ArmDeployment.AsString(arm.Runtime(IdentityId)["principalId"], "principalId");

        var settings = arm.Resources.Where(r => r.IsOfType("Microsoft.Web/sites/config") && r.Name == $"{Site.Name}/appsettings").ToList();
        if (settings.Count != 1)
        {
            throw new InvalidOperationException($"The Function App has {settings.Count} appsettings resources.");
        }

        AppSettings = settings[0].Properties.ToDictionary(
            p => p.Key,
            p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new InvalidOperationException($"App setting {p.Key} is {p.Value?.ToJsonString() ?? "null"}: app settings are strings."),
            StringComparer.Ordinal);
    }

    /// <summary>azd's variables: the ones azd sets itself, plus the project's (BO_*) a person sets with `azd env set`.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public ArmDeployment Arm { get; }

    public ArmResource Site { get; }

    /// <summary>The app's user-assigned identity: its resource id, client id (what SDKs are told) and principal id (what roles are assigned to).</summary>
    public string IdentityId { get; }

    public string ClientId { get; }

    public string PrincipalId { get; }

    /// <summary>The app settings the template gives the Function App.</summary>
    public IReadOnlyDictionary<string, string> AppSettings { get; }

    public bool AksEnabled => Environment.TryGetValue("BO_ENABLE_AKS", out var v) && v == "true";

    public bool AciEnabled => Environment.TryGetValue("BO_ENABLE_ACI", out var v) && v == "true";

    /// <summary>
    /// The azd environments the tests deploy: <c>minimal</c> (what `azd up` does with nothing set)
    /// and <c>containers</c> (AKS with its CA set, and ACI).
    /// </summary>
    public static IReadOnlyDictionary<string, string> EnvironmentNamed(string name)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AZURE_ENV_NAME"] = "bo-test",
            ["AZURE_LOCATION"] = Location,
            ["AZURE_PRINCIPAL_ID"] = "0b8e3a4c-0000-4000-8000-00000000aaaa",
        };
        switch (name)
        {
            case "minimal":
                break;
            case "containers":
                environment["BO_ENABLE_AKS"] = "true";
                environment["BO_ENABLE_ACI"] = "true";
                environment["BO_AKS_CA"] = ClusterCertificateAuthority.Value;
                break;
            default:
                throw new ArgumentException($"No azd environment '{name}'.", nameof(name));
        }

        return environment;
    }

    public static async Task<Provisioned> ProvisionAsync(string environmentName)
    {
        var environment = EnvironmentNamed(environmentName);
        var template = await BicepCli.MainTemplateAsync();
        var parameters = AzdParameters(template, environment);
        return new Provisioned(ArmDeployment.AtSubscription(template, parameters, Location), environment);
    }

    /// <summary>
    /// infra/main.parameters.json as azd hands it to ARM: <c>${NAME}</c> is the variable's value
    /// (empty when unset), <c>${NAME=default}</c> the default when unset, and the text converted to
    /// the parameter's declared type.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonNode?> AzdParameters(JsonObject template, IReadOnlyDictionary<string, string> environment)
    {
        var declared = (JsonObject)template["parameters"]!;
        var file = (JsonObject)JsonNode.Parse(Repository.Read("infra/main.parameters.json"))!;
        var result = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, parameter) in (JsonObject)file["parameters"]!)
        {
            var text = Substitution().Replace(ArmDeployment.AsString(parameter?["value"], name), m =>
                environment.TryGetValue(m.Groups["name"].Value, out var value) ? value : m.Groups["default"].Success ? m.Groups["default"].Value : "");
            var type = declared[name]?["type"]?.GetValue<string>() ?? throw new InvalidOperationException($"main.parameters.json sets '{name}', which main.bicep does not declare.");
            result[name] = type.ToLowerInvariant() switch
            {
                "string" or "securestring" => text,
                "bool" => bool.TryParse(text, out var b) ? b : throw new InvalidOperationException($"Parameter {name} is '{text}', not a bool."),
                "int" => long.TryParse(text, out var n) ? n : throw new InvalidOperationException($"Parameter {name} is '{text}', not an int."),
                _ => JsonNode.Parse(text),
            };
        }

        return result;
    }

    public ArmResource Single(string type)
    {
        var matches = Arm.Resources.Where(r => r.IsOfType(type)).ToList();
        return matches.Count == 1 ? matches[0] : throw new InvalidOperationException($"The deployment has {matches.Count} resources of type {type}.");
    }

    public IEnumerable<ArmResource> OfType(string type) => Arm.Resources.Where(r => r.IsOfType(type));

    /// <summary>The deployed resource of <paramref name="type"/> whose runtime property at <paramref name="path"/> is <paramref name="value"/> (an endpoint a setting names).</summary>
    public ArmResource? WithRuntime(string type, string value, params string[] path) =>
        OfType(type).FirstOrDefault(r =>
        {
            JsonNode? node = Arm.Runtime(r.Id);
            foreach (var key in path)
            {
                node = node?[key];
            }

            return node is JsonValue v && v.TryGetValue<string>(out var s) && s.TrimEnd('/').Equals(value.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
        });

    /// <summary>The roles (by definition id) assigned to <paramref name="principalId"/> at a scope that covers <paramref name="resourceId"/>.</summary>
    public IReadOnlyList<string> RolesOn(string principalId, string resourceId) =>
        [.. OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => a.Properties["principalId"]?.GetValue<string>() == principalId && ArmIds.Covers(a.Scope, resourceId))
            .Select(a => ArmDeployment.AsString(a.Properties["roleDefinitionId"], "roleDefinitionId").Split('/')[^1])];

    /// <summary>Whether the app's identity has one of <paramref name="roles"/> on <paramref name="resourceId"/>.</summary>
    public bool IdentityHas(string resourceId, params string[] roles) => RolesOn(PrincipalId, resourceId).Intersect(roles, StringComparer.OrdinalIgnoreCase).Any();

    public string DescribeIdentityRoles(string resourceId) =>
        $"the identity's roles on {resourceId}: [{string.Join(", ", RolesOn(PrincipalId, resourceId).Select(AzureRoles.NameOf))}]";

    /// <summary>A cluster CA as `az aks get-credentials` prints it (base64 of PEM), made once: its value does not matter, its form does.</summary>
    private static readonly Lazy<string> ClusterCertificateAuthority = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2035, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
    });

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(=(?<default>[^}]*))?\}")]
    private static partial Regex Substitution();
}

/// <summary>Azure's built-in role definition ids (the same in every tenant) that the app's settings call for.</summary>
internal static class AzureRoles
{
    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    public const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    public const string KeyVaultAdministrator = "00482a5a-887f-4fb3-b363-3b7fe8e74483";
    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    public const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    public const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        [StorageBlobDataOwner] = "Storage Blob Data Owner",
        [StorageBlobDataContributor] = "Storage Blob Data Contributor",
        [StorageQueueDataContributor] = "Storage Queue Data Contributor",
        [StorageTableDataContributor] = "Storage Table Data Contributor",
        [KeyVaultSecretsOfficer] = "Key Vault Secrets Officer",
        [KeyVaultAdministrator] = "Key Vault Administrator",
        [MonitoringMetricsPublisher] = "Monitoring Metrics Publisher",
        [Contributor] = "Contributor",
        [Owner] = "Owner",
    };

    public static string NameOf(string id) => Names.TryGetValue(id, out var name) ? name : id;
}
