namespace BatchOrchestrator.Engine.Operators.Builtin;

/// <summary>The Python files py&gt; ships with each command, embedded in this assembly (see <c>Python/</c>).</summary>
internal static class PythonSources
{
    public static string Read(string fileName)
    {
        var name = $"BatchOrchestrator.Engine.Operators.Builtin.Python.{fileName}";
        using var stream = typeof(PythonSources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
