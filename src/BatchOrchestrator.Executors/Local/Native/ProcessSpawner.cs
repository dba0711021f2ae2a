using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace BatchOrchestrator.Executors.Local.Native;

/// <summary>
/// Starts a child with <c>posix_spawnp</c> (a vfork-style clone in glibc: no copy of the parent's
/// address space) as the leader of a new session, so the whole tree it starts can be signalled as
/// one process group. stdin is /dev/null; stdout and stderr share one pipe, which keeps their
/// interleaving in the log. Signal dispositions and the mask are reset: the .NET runtime ignores
/// SIGPIPE, and a child that inherited that would not stop when its reader goes away.
/// </summary>
internal static unsafe class ProcessSpawner
{
    private static ReadOnlySpan<byte> DevNull => "/dev/null\0"u8;

    /// <exception cref="Win32Exception">The program could not be started (not found, not executable, bad working directory).</exception>
    public static SpawnedProcess Spawn(IReadOnlyList<string> argv, IReadOnlyList<string> environment, string workingDirectory)
    {
        if (argv.Count == 0)
        {
            throw new ArgumentException("The command is empty.", nameof(argv));
        }

        var fds = stackalloc int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "Cannot create the output pipe");
        }

        var readFd = fds[0];
        var writeFd = fds[1];
        var actions = NativeMemory.AllocZeroed(LibC.SpawnFileActionsSize);
        var attr = NativeMemory.AllocZeroed(LibC.SpawnAttrSize);
        var sigset = NativeMemory.AllocZeroed(LibC.SigSetSize);
        using var args = new NativeStrings(argv);
        using var env = new NativeStrings(environment);
        var directory = Encoding.UTF8.GetBytes(workingDirectory + "\0");
        var started = false;
        try
        {
            Check(LibC.posix_spawn_file_actions_init(actions));
            Check(LibC.posix_spawnattr_init(attr));
            fixed (byte* devNull = DevNull)
            fixed (byte* cwd = directory)
            {
                Check(LibC.posix_spawn_file_actions_addopen(actions, 0, devNull, LibC.O_RDONLY, 0));
                Check(LibC.posix_spawn_file_actions_adddup2(actions, writeFd, 1));
                Check(LibC.posix_spawn_file_actions_adddup2(actions, writeFd, 2));
                Check(LibC.posix_spawn_file_actions_addchdir_np(actions, cwd));
                Check(LibC.posix_spawnattr_setflags(attr, LibC.POSIX_SPAWN_SETSID | LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF));
                Check(LibC.sigemptyset(sigset));
                Check(LibC.posix_spawnattr_setsigmask(attr, sigset));
                Check(LibC.sigfillset(sigset));
                Check(LibC.posix_spawnattr_setsigdefault(attr, sigset));

                int pid;
                var error = LibC.posix_spawnp(&pid, args.Pointers[0], actions, attr, args.Pointers, env.Pointers);
                if (error != 0)
                {
                    throw new Win32Exception(error, $"Cannot start '{argv[0]}': {Marshal.GetPInvokeErrorMessage(error)}");
                }

                started = true;
                return new SpawnedProcess(pid, readFd);
            }
        }
        finally
        {
            // The child holds its own copies of the write end; ours must go, or the pipe never reaches EOF.
            LibC.close(writeFd);
            if (!started)
            {
                LibC.close(readFd);
            }

            LibC.posix_spawn_file_actions_destroy(actions);
            LibC.posix_spawnattr_destroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigset);
        }
    }

    private static void Check(int error)
    {
        if (error != 0)
        {
            throw new Win32Exception(error);
        }
    }
}
