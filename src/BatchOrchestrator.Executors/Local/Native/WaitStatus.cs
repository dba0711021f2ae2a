namespace BatchOrchestrator.Executors.Local.Native;

/// <summary>A decoded <c>waitpid</c> or <c>waitid</c> status: an exit code, or the signal that killed the process.</summary>
internal readonly record struct WaitStatus(int ExitCode, int? Signal)
{
    public static WaitStatus Decode(int raw) =>
        (raw & 0x7f) == 0
            ? new WaitStatus((raw >> 8) & 0xff, null)
            : new WaitStatus(128 + (raw & 0x7f), raw & 0x7f);

    /// <summary>From <c>waitid</c>'s <c>si_code</c> and <c>si_status</c>: exited with a code, or killed (with or without a core dump) by a signal.</summary>
    public static WaitStatus FromChildInfo(int code, int status) =>
        code == LibC.CLD_EXITED ? new WaitStatus(status, null) : new WaitStatus(128 + status, status);
}
