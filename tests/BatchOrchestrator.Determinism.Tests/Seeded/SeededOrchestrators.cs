using BatchOrchestrator.Engine.Orchestration;

namespace BatchOrchestrator.Determinism.Tests.Seeded;

// Orchestrator-shaped code with known violations, for PurityCheckerTests: never run, only read as IL.

internal interface ISeedSource
{
    string Read(string name);
}

/// <summary>The violation hidden behind an interface.</summary>
internal sealed class FileSeedSource : ISeedSource
{
    public string Read(string name) => File.ReadAllText(name);
}

internal sealed class MemorySeedSource : ISeedSource
{
    public string Read(string name) => name.ToUpperInvariant();
}

/// <summary>An interface nothing in the checked assemblies implements (as a store's would be).</summary>
internal interface IOutsideStore
{
    Task<string> LoadAsync(string key);
}

/// <summary>A value whose ToString, called by the BCL (string interpolation), reads the clock.</summary>
internal sealed record Stamp(string Name)
{
    public override string ToString() => $"{Name}@{DateTime.Now:O}";
}

internal static class Settings
{
    // Read by the static constructor, on first use.
    public static readonly string? Region = Environment.GetEnvironmentVariable("SEED_REGION");

    public static string Describe() => Region ?? "none";
}

internal sealed class SeededOrchestrator(ISeedSource source, IOutsideStore store)
{
    /// <summary>Reads a file through <see cref="ISeedSource"/>, after an activity.</summary>
    public async Task<string> ThroughInterfaceAsync(IOrchestrationContext context)
    {
        var name = await context.CallActivityAsync<string>("Name");
        return source.Read(name);
    }

    public async Task<int> InLambdaAsync(IOrchestrationContext context)
    {
        var names = await context.CallActivityAsync<List<string>>("Names");
        return names.Count(n => n.Length > DateTime.UtcNow.Second);
    }

    public async Task<Guid> InLocalFunctionAsync(IOrchestrationContext context)
    {
        await context.CreateTimer(context.CurrentUtcDateTime, CancellationToken.None);
        return Fresh();

        static Guid Fresh() => Guid.NewGuid();
    }

    public async Task<string> BlockingInAsyncAsync(IOrchestrationContext context)
    {
        var first = await context.CallActivityAsync<string>("First");
        return first + store.LoadAsync(first).GetAwaiter().GetResult();
    }

    public static string BlockingResult(Task<string> task) => task.Result;

    public async Task<string> ConfigureAwaitFalseAsync(IOrchestrationContext context) =>
        await context.CallActivityAsync<string>("Name").ConfigureAwait(false);

    /// <summary>Only what orchestrator code may do: awaits of the context, ConfigureAwait(true), pure code.</summary>
    public async Task<string> CleanAsync(IOrchestrationContext context)
    {
        var first = await context.CallActivityAsync<string>("First");
        var second = await context.CallActivityAsync<string>("Second").ConfigureAwait(true);
        var both = await Task.WhenAll(context.CallActivityAsync<string>("A"), context.CallActivityAsync<string>("B"));
        return new MemorySeedSource().Read(first + second + string.Join(",", both) + context.NewGuid() + context.CurrentUtcDateTime);
    }

    public async Task<string> OutsideStoreAsync(IOrchestrationContext context)
    {
        var key = await context.CallActivityAsync<string>("Key");
        return await store.LoadAsync(key);
    }

    public string StaticInitializer() => Settings.Describe();

    public string HandedToTheBcl(string name) => $"{new Stamp(name)}";

    public string MakesAFileSource(string name) => new FileSeedSource().Read(name);
}
