namespace BatchOrchestrator.Engine.Executors;

/// <summary>
/// Files the engine ships with every host (py&gt;'s runner and <c>digdag</c> module, rb&gt;'s runner), embedded in
/// this assembly. Commands name them in <see cref="CommandRequest.Bundled"/>; the launch activity
/// turns the names into <see cref="CommandRequest.Files"/> just before an executor sees the command.
/// </summary>
public static class BundledFiles
{
    private const string Prefix = "BatchOrchestrator.Engine.Bundled.";

    /// <summary>The text of a bundled file.</summary>
    /// <exception cref="ArgumentException">No bundled file has that name.</exception>
    public static string Read(string name)
    {
        using var stream = typeof(BundledFiles).Assembly.GetManifestResourceStream(Prefix + name)
            ?? throw new ArgumentException($"'{name}' is not a file bundled with the engine.", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The command with its bundled files among its <see cref="CommandRequest.Files"/> (the command itself when it names none).</summary>
    public static CommandRequest Expand(CommandRequest command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Bundled.Count == 0)
        {
            return command;
        }

        var files = new Dictionary<string, string>(command.Files, StringComparer.Ordinal);
        foreach (var name in command.Bundled)
        {
            files[name] = Read(name);
        }

        return command with { Files = files, Bundled = [] };
    }
}
