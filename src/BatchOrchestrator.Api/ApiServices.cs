using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BatchOrchestrator.Engine.Json;
using BatchOrchestrator.Engine.Projects;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace BatchOrchestrator.Api;

/// <summary>
/// What the API needs besides the engine's services (which the host registers: AttemptLauncher,
/// IRunStore, ILogStore, ISecretStore, IProjectRepository, IProjectRevisionStore, TimeProvider, and
/// the IOperatorCatalog of the operators it runs, which pushed and described workflows are checked against).
/// </summary>
public static class ApiServices
{
    public static IServiceCollection AddBatchOrchestratorApi(this IServiceCollection services, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.ConfigureHttpJsonOptions(json => Configure(json.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddSingleton(provider => new RevisionPlanSource(provider.GetRequiredService<IProjectRevisionStore>(), provider.GetRequiredService<Language.Operators.IOperatorCatalog>()));
        return services;
    }

    /// <summary>The API's JSON: camelCase, enums as camelCase strings, and unknown fields refused (a typo is an error, not a silent default).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // One converter per enum the API carries: the catch-all converter makes its generic per
        // enum at run time, which Native AOT cannot.
        json.Converters.Add(new JsonStringEnumConverter<Engine.Stores.AttemptStatus>(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        json.Converters.Add(new JsonStringEnumConverter<Engine.Stores.TaskState>(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        json.Converters.Add(new JsonStringEnumConverter<ResumeModeName>(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        json.TypeInfoResolver = json.TypeInfoResolver is null
            ? JsonResolvers.WithReflectionFallback(ApiJsonContext.Default)
            : JsonTypeInfoResolver.Combine(ApiJsonContext.Default, json.TypeInfoResolver);
        return json;
    }

    /// <summary>The API's JSON options, for clients (the CLI) reading its answers.</summary>
    public static JsonSerializerOptions ClientJson()
    {
        // A client tolerates fields added by a newer server.
        var json = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        return json;
    }
}
