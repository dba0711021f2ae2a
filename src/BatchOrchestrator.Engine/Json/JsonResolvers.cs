using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BatchOrchestrator.Engine.Json;

/// <summary>Type-info resolvers that work the same under Native AOT and the JIT.</summary>
public static class JsonResolvers
{
    /// <summary>
    /// <paramref name="context"/> first. In a JIT process (the Functions app, tests) a type it lacks
    /// is still described by reflection, as before; under Native AOT, where reflection serialization
    /// is off, such a type is an error that names it rather than a silently wrong payload.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reflection is only asked for where the serializer's reflection switch is on; Native AOT turns it off, and the branch is removed.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Reflection is only asked for where the serializer's reflection switch is on; Native AOT turns it off, and the branch is removed.")]
    public static IJsonTypeInfoResolver WithReflectionFallback(IJsonTypeInfoResolver context) =>
        JsonSerializer.IsReflectionEnabledByDefault
            ? JsonTypeInfoResolver.Combine(context, new DefaultJsonTypeInfoResolver())
            : context;

    /// <summary>
    /// The metadata <paramref name="options"/> has for <typeparamref name="T"/>, for the serializer's
    /// overloads that take it (those taking options alone need reflection, absent under Native AOT).
    /// </summary>
    public static JsonTypeInfo<T> TypeInfo<T>(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }
}
