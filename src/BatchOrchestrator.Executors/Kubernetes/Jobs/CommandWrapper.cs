namespace BatchOrchestrator.Executors.Kubernetes.Jobs;

/// <summary>
/// The <c>sh -c</c> script every Job container runs around the task's command. A container has no
/// shared folder with the engine, so:
/// <list type="bullet">
/// <item>the request's files (py&gt;'s runner, its <c>digdag</c> module, the task's params) travel in
/// the Job spec as environment variables <c>BO_FILE_NAME_i</c> / <c>BO_FILE_DATA_i</c> and are
/// written to <c>$BO_TASK_DIR</c> before the command starts (no ConfigMap to create, grant and
/// clean up; the price is Kubernetes' limit on one object, about 1 MiB);</item>
/// <item><c>$BO_OUTPUT</c> comes back through the pod log: after the command exits, a non-empty
/// output file is printed base64-encoded between two marker lines that carry a per-try token;
/// the log copier takes that block out of the task log and returns it as the output.</item>
/// </list>
/// The command itself is passed as positional arguments (<c>"$@"</c>), never spliced into the
/// script, so no quoting of user text is involved. A command line that held a secret comes
/// instead from <c>BO_ARG_COUNT</c> / <c>BO_ARG_i</c> (read from the try's Secret), rebuilt into
/// <c>"$@"</c> the same way. The image needs <c>sh</c>, <c>mkdir</c>,
/// <c>dirname</c> and <c>base64</c> (busybox or coreutils).
/// </summary>
public static class CommandWrapper
{
    public const string TaskDirectory = "/tmp/bo-task";

    /// <summary>The name <c>$0</c> gets in the wrapper (shown by <c>ps</c>).</summary>
    public const string ArgumentZero = "bo-task";

    public const string Script =
        """
        d="${BO_TASK_DIR:-/tmp/bo-task}"
        mkdir -p "$d" || exit 125
        i=0
        while [ "$i" -lt "${BO_FILE_COUNT:-0}" ]; do
          eval "n=\${BO_FILE_NAME_$i}; c=\${BO_FILE_DATA_$i}"
          mkdir -p "$(dirname "$d/$n")" && printf '%s' "$c" > "$d/$n" || exit 125
          unset "BO_FILE_DATA_$i"
          i=$((i+1))
        done
        unset c n i
        if [ -n "${BO_ARG_COUNT:-}" ]; then
          set --
          i=0
          while [ "$i" -lt "$BO_ARG_COUNT" ]; do
            eval "set -- \"\$@\" \"\${BO_ARG_$i}\""
            unset "BO_ARG_$i"
            i=$((i+1))
          done
          unset i BO_ARG_COUNT
        fi
        export BO_OUTPUT="$d/output"
        "$@"
        rc=$?
        if [ -s "$BO_OUTPUT" ]; then
          printf '\n%s\n' "::bo-output::${BO_OUTPUT_TOKEN}::begin"
          base64 "$BO_OUTPUT"
          printf '%s\n' "::bo-output::${BO_OUTPUT_TOKEN}::end"
        fi
        exit $rc
        """;

    public static string BeginMarker(string token) => $"::bo-output::{token}::begin";

    public static string EndMarker(string token) => $"::bo-output::{token}::end";

    /// <summary>The container's command: the wrapper, then the task's own program and arguments.</summary>
    public static IReadOnlyList<string> Wrap(IReadOnlyList<string> command) => ["/bin/sh", "-c", Script, ArgumentZero, .. command];
}
