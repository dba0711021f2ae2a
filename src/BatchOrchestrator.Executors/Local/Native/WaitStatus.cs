namespace BatchOrchestrator.Executors.Local.Native;

/// <summary>A decoded <c>waitpid</c> status: an exit code, or the signal that killed the process.</summary>
internal readonly record struct WaitStatus(int ExitCode, int? Signal)
{
    public static WaitStatus Decode(int raw) =>
        (raw & 0x7f) == 0
            ? new WaitStatus((raw >> 8) & 0xff, null)
            : new WaitStatus(128 + (raw & 0x7f), raw & 0x7f);
}
