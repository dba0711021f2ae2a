using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace BatchOrchestrator.Executors.Aci;

/// <summary>
/// How a <see cref="Engine.Executors.CommandRequest"/> becomes one container's command, so the
/// same <c>sh&gt;</c> / <c>py&gt;</c> command runs in any image that has <c>/bin/sh</c>
/// (and <c>base64</c> and <c>tar</c> when it ships files — busybox and every distro do):
/// <list type="bullet">
/// <item>the command is <c>/bin/sh -c</c> a fixed wrapper; the task's own command line travels
/// shell-quoted in <c>$BO_COMMAND</c> and runs in a subshell, so an <c>exit</c> in it still lets
/// the wrapper report;</item>
/// <item><see cref="Engine.Executors.CommandRequest.Files"/> travel as a gzipped tar, base64, in
/// <c>$BO_FILES</c>, unpacked into <c>$BO_TASK_DIR</c> (<c>/tmp/bo-task</c>) before the command runs
/// (ACI has no volume for small files that is not a secret volume or a file share);</item>
/// <item><c>$BO_OUTPUT</c> names a file in it; after the command, the wrapper prints its content,
/// base64, on one marker line that the executor takes out of the log and returns as
/// <see cref="Engine.Executors.CommandStatus.OutputText"/>. The container's exit code is the command's.</item>
/// </list>
/// </summary>
public static class AciCommandScript
{
    public const string CommandVariable = "BO_COMMAND";
    public const string FilesVariable = "BO_FILES";
    public const string TaskDirectory = "/tmp/bo-task";

    /// <summary>Starts the line that carries <c>$BO_OUTPUT</c>; <see cref="OutputEnd"/> ends it.</summary>
    public const string OutputStart = "\n@@bo-output@@";
    public const string OutputEnd = "@@\n";

    /// <summary>The fixed wrapper run by <c>/bin/sh -c</c>.</summary>
    public const string Wrapper =
        "BO_TASK_DIR=" + TaskDirectory + "; export BO_TASK_DIR; BO_OUTPUT=\"$BO_TASK_DIR/output\"; export BO_OUTPUT\n"
        + "mkdir -p \"$BO_TASK_DIR\" || exit 127\n"
        + "if [ -n \"$BO_FILES\" ]; then\n"
        + "  printf '%s' \"$BO_FILES\" | base64 -d | tar -xzf - -C \"$BO_TASK_DIR\" || { echo 'bo: cannot unpack the task files into '\"$BO_TASK_DIR\"' (the image needs base64 and tar)' >&2; exit 127; }\n"
        + "fi\n"
        + "unset BO_FILES\n"
        + "(eval \"$BO_COMMAND\"); bo_rc=$?\n"
        + "if [ -s \"$BO_OUTPUT\" ]; then printf '\\n@@bo-output@@%s@@\\n' \"$(base64 < \"$BO_OUTPUT\" | tr -d '\\n')\"; fi\n"
        + "exit $bo_rc\n";

    public static IReadOnlyList<string> ContainerCommand { get; } = ["/bin/sh", "-c", Wrapper];

    /// <summary>The command line, each argument single-quoted for <c>sh</c>.</summary>
    public static string Quote(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return string.Join(' ', command.Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
    }

    /// <summary>The files as a gzipped tar in base64, or null when there are none.</summary>
    public static string? PackFiles(IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                if (Path.IsPathRooted(name) || name.Split('/', '\\').Contains(".."))
                {
                    throw new Engine.Operators.TaskFailure($"Command file '{name}' is outside the task folder.", retryable: false);
                }

                var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                };
                tar.WriteEntry(entry);
            }
        }

        return Convert.ToBase64String(buffer.ToArray());
    }
}
