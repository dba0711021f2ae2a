using System.Runtime.InteropServices;

namespace BatchOrchestrator.Executors.Local.Native;

/// <summary>
/// The few libc calls the local executor needs. System.Diagnostics.Process cannot start a child
/// in its own session, and its per-process bookkeeping is most of the cost of a short command.
/// Constant values are Linux's (glibc and musl agree on them).
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int WNOHANG = 1;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int ECHILD = 10;
    public const int EEXIST = 17;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int O_NONBLOCK = 0x800;
    public const int F_SETFL = 4;
    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CTL_MOD = 3;
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLONESHOT = 1u << 30;
    public const int EFD_CLOEXEC = 0x80000;
    public const int P_PIDFD = 3;
    public const int WEXITED = 4;
    public const int CLD_EXITED = 1;

    /// <summary>The system call number of <c>pidfd_open</c> (the same on every architecture since Linux 5.3).</summary>
    public const nint SYS_pidfd_open = 434;

    /// <summary><c>siginfo_t</c>'s size and the offsets of the fields <c>waitid</c> fills in for a child (64-bit Linux).</summary>
    public const int SigInfoSize = 128;
    public const int SigInfoCode = 8;
    public const int SigInfoPid = 16;
    public const int SigInfoStatus = 24;
    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80;

    /// <summary>Generous upper bounds of the opaque libc structs (glibc x86-64: 80, 336 and 128 bytes).</summary>
    public const int SpawnFileActionsSize = 256;
    public const int SpawnAttrSize = 1024;
    public const int SigSetSize = 256;

    [LibraryImport(Library, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdir(string path, uint mode);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rmdir(string path);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlink(string path);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int symlink(string target, string linkPath);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int waitid(int idType, uint id, byte* info, int options);

    /// <summary>glibc before 2.36 and musl have no <c>pidfd_open</c> wrapper: the raw system call.</summary>
    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    public static partial nint syscall2(nint number, nint first, nint second);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int epoll_ctl(int epollFd, int operation, int fd, byte* epollEvent);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int epoll_wait(int epollFd, byte* events, int maxEvents, int timeout);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int eventfd(uint initialValue, int flags);

    [LibraryImport(Library)]
    public static partial int posix_spawnp(int* pid, byte* file, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_addopen(void* fileActions, int fd, byte* path, int flags, uint mode);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* fileActions, byte* path);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_init(void* attr);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setsigmask(void* attr, void* sigset);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setsigdefault(void* attr, void* sigset);

    [LibraryImport(Library)]
    public static partial int sigemptyset(void* sigset);

    [LibraryImport(Library)]
    public static partial int sigfillset(void* sigset);
}
