using Acornima.Ast;
using Jint;

namespace BatchOrchestrator.Language.Templating;

/// <summary>
/// The JavaScript libraries Digdag loads into its template engine — moment.js 2.x — embedded into this
/// assembly by the build from the pinned npm package (see <c>Templating/Library/package.json</c>).
/// Parsed once per <see cref="TemplateEngine"/>, run in a sandbox only when an expression uses them.
/// </summary>
internal sealed class TemplateLibrary
{
    /// <summary>The global moment.js defines.</summary>
    public const string MomentName = "moment";

    private const string MomentResource = "BatchOrchestrator.Language.Templating.moment.min.js";

    private readonly Lazy<Prepared<Script>> _moment = new(() => Engine.PrepareScript(ReadResource(MomentResource), source: "moment.min.js"));

    public Prepared<Script> Moment => _moment.Value;

    private static string ReadResource(string name)
    {
        using var stream = typeof(TemplateLibrary).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from the build: the Language project's InstallTemplateLibraries target embeds it from npm.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
