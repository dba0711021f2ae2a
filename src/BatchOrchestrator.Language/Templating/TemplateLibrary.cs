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

    // Interpreted regexes: compiling moment's many patterns to IL costs more on a cold host than
    // matching them ever does on a template's short strings. moment's own patterns are fixed and do not
    // backtrack, so they get a timeout far above the user's: a match that waits out a long GC pause on a
    // loaded host must not fail a date format (the user's patterns keep TemplateEngineOptions.RegexTimeout).
    private static readonly ScriptPreparationOptions Preparation = new()
    {
        ParsingOptions = new ScriptParsingOptions { CompileRegex = false, RegexTimeout = TimeSpan.FromSeconds(30) },
    };

    private readonly Lazy<Prepared<Script>> _moment = new(() => Engine.PrepareScript(ReadResource(MomentResource), source: "moment.min.js", options: Preparation));

    private readonly Lazy<Prepared<Script>> _momentWarmUp = new(() => Engine.PrepareScript("moment.utc(0).add(1, 'days').format('LLL') + moment(0).format()", options: Preparation));

    // Only ever goes from false to true; a race runs the warm-up twice, which is harmless.
    private bool _warm;

    /// <summary>
    /// Loads moment.js into <paramref name="engine"/>. The first load of this library also runs moment's
    /// parsing and formatting paths once, so the runtime's warm-up (compiling them) is not charged to the
    /// first user expression and its deadline; later loads skip it.
    /// </summary>
    public void LoadMoment(Engine engine)
    {
        engine.Execute(_moment.Value);
        if (!_warm)
        {
            engine.Evaluate(_momentWarmUp.Value);
            _warm = true;
        }
    }

    private static string ReadResource(string name)
    {
        using var stream = typeof(TemplateLibrary).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from the build: the Language project's InstallTemplateLibraries target embeds it from npm.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
