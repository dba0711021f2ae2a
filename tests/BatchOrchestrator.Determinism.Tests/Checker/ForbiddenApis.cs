using Mono.Cecil;
using Mono.Cecil.Cil;

namespace BatchOrchestrator.Determinism.Tests.Checker;

/// <summary>
/// The .NET APIs Durable's rules forbid in orchestrator code, by what they do: I/O, the network,
/// threads and real-time waiting, the clock, randomness, the environment, and blocking on tasks.
/// Matched on calls out of the checked assemblies (calls between them are followed instead).
/// </summary>
internal static class ForbiddenApis
{
    private const string FileIo = "file I/O";
    private const string Network = "networking";
    private const string Threads = "leaves the orchestrator thread";
    private const string RealTime = "waits in real time";
    private const string Clock = "reads the clock";
    private const string Randomness = "random";
    private const string Environment = "reads the environment";
    private const string Blocking = "blocks on a task";
    private const string HostZones = "reads the host's time zone database";
    private const string ProcessState = "reads the process's memory counters";

    /// <summary>Every member of these types.</summary>
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["System.IO.File"] = FileIo,
        ["System.IO.Directory"] = FileIo,
        ["System.IO.FileStream"] = FileIo,
        ["System.IO.FileInfo"] = FileIo,
        ["System.IO.DirectoryInfo"] = FileIo,
        ["System.IO.FileSystemInfo"] = FileIo,
        ["System.IO.DriveInfo"] = FileIo,
        ["System.IO.FileSystemWatcher"] = FileIo,
        ["System.IO.RandomAccess"] = FileIo,
        ["System.Console"] = "console I/O",
        ["System.Diagnostics.Process"] = "starts processes",
        ["System.Net.WebClient"] = Network,
        ["System.Net.WebRequest"] = Network,
        ["System.Net.HttpWebRequest"] = Network,
        ["System.Net.Dns"] = Network,
        ["System.Threading.Thread"] = Threads,
        ["System.Threading.ThreadPool"] = Threads,
        ["System.Threading.Tasks.Parallel"] = Threads,
        ["System.Threading.Tasks.TaskFactory"] = Threads,
        ["System.Threading.Tasks.TaskFactory`1"] = Threads,
        ["System.Threading.Timer"] = RealTime,
        ["System.Timers.Timer"] = RealTime,
        ["System.Diagnostics.Stopwatch"] = Clock,
        ["System.Random"] = Randomness,
        ["System.Security.Cryptography.RandomNumberGenerator"] = Randomness,
    };

    /// <summary>Every member of every type in these namespaces.</summary>
    private static readonly Dictionary<string, string> Namespaces = new(StringComparer.Ordinal)
    {
        ["System.Net.Http"] = Network,
        ["System.Net.Sockets"] = Network,
        ["System.Net.Mail"] = Network,
        ["MailKit.Net.Smtp"] = Network,
        ["System.IO.Pipes"] = FileIo,
        ["System.IO.MemoryMappedFiles"] = FileIo,
    };

    /// <summary>Particular members (property getters by their <c>get_</c> name).</summary>
    private static readonly Dictionary<(string Type, string Member), string> Members = new()
    {
        [("System.Threading.Tasks.Task", "Run")] = Threads,
        [("System.Threading.Tasks.Task", "get_Factory")] = Threads,
        [("System.Threading.Tasks.Task", "Delay")] = RealTime,
        [("System.Threading.Tasks.Task", "Wait")] = Blocking,
        [("System.Threading.Tasks.Task", "WaitAll")] = Blocking,
        [("System.Threading.Tasks.Task", "WaitAny")] = Blocking,
        [("System.Threading.Tasks.Task`1", "get_Result")] = Blocking,
        [("System.Threading.Tasks.ValueTask`1", "get_Result")] = Blocking,
        [("System.Threading.SemaphoreSlim", "Wait")] = Blocking,
        [("System.Threading.ManualResetEventSlim", "Wait")] = Blocking,
        [("System.Threading.WaitHandle", "WaitOne")] = Blocking,
        [("System.Threading.WaitHandle", "WaitAll")] = Blocking,
        [("System.Threading.WaitHandle", "WaitAny")] = Blocking,
        [("System.Threading.Monitor", "Wait")] = Blocking,
        [("System.Threading.CancellationTokenSource", "CancelAfter")] = RealTime,
        [("System.Threading.CancellationTokenSource", "CancelAsync")] = Threads,
        [("System.DateTime", "get_Now")] = Clock,
        [("System.DateTime", "get_UtcNow")] = Clock,
        [("System.DateTime", "get_Today")] = Clock,
        [("System.DateTimeOffset", "get_Now")] = Clock,
        [("System.DateTimeOffset", "get_UtcNow")] = Clock,
        [("System.TimeProvider", "get_System")] = Clock,
        [("System.TimeProvider", "GetUtcNow")] = Clock,
        [("System.TimeProvider", "GetLocalNow")] = Clock,
        [("System.TimeProvider", "GetTimestamp")] = Clock,
        [("System.TimeProvider", "GetElapsedTime")] = Clock,
        [("System.TimeProvider", "CreateTimer")] = RealTime,
        [("System.Environment", "get_TickCount")] = Clock,
        [("System.Environment", "get_TickCount64")] = Clock,
        [("System.Guid", "NewGuid")] = Randomness,
        [("System.Guid", "CreateVersion7")] = Randomness,
        [("System.IO.Path", "GetRandomFileName")] = Randomness,
        [("System.IO.Path", "GetTempFileName")] = FileIo,
        [("System.IO.Path", "GetTempPath")] = Environment,
        [("System.Environment", "GetEnvironmentVariable")] = Environment,
        [("System.Environment", "GetEnvironmentVariables")] = Environment,
        [("System.Environment", "SetEnvironmentVariable")] = Environment,
        [("System.Environment", "ExpandEnvironmentVariables")] = Environment,
        [("System.Environment", "get_CurrentDirectory")] = Environment,
        [("System.Environment", "get_MachineName")] = Environment,
        [("System.Environment", "get_UserName")] = Environment,
        [("System.Environment", "get_ProcessId")] = Environment,
        [("System.Environment", "GetCommandLineArgs")] = Environment,
        [("System.Environment", "Exit")] = "ends the process",
        [("System.TimeZoneInfo", "get_Local")] = HostZones,
        [("System.TimeZoneInfo", "FindSystemTimeZoneById")] = HostZones,
        [("System.TimeZoneInfo", "TryFindSystemTimeZoneById")] = HostZones,
        [("System.TimeZoneInfo", "GetSystemTimeZones")] = HostZones,
        [("System.GC", "GetAllocatedBytesForCurrentThread")] = ProcessState,
        [("System.GC", "GetTotalAllocatedBytes")] = ProcessState,
        [("System.GC", "GetTotalMemory")] = ProcessState,
        [("System.GC", "GetGCMemoryInfo")] = ProcessState,
    };

    /// <summary>Why a call out of the checked assemblies is forbidden here, or null when it is not.</summary>
    /// <param name="callee">The called method (not one of the checked assemblies').</param>
    /// <param name="site">The call instruction, for rules that depend on the arguments or on what came before.</param>
    /// <param name="caller">The method making the call.</param>
    public static string? Rule(MethodReference callee, Instruction site, MethodDefinition caller)
    {
        var type = callee.DeclaringType.GetElementType();
        var typeName = type.FullName;
        if (Types.TryGetValue(typeName, out var rule) || Members.TryGetValue((typeName, callee.Name), out rule))
        {
            return rule;
        }

        var outermost = type;
        while (outermost.DeclaringType is not null)
        {
            outermost = outermost.DeclaringType;
        }

        if (Namespaces.TryGetValue(outermost.Namespace, out rule))
        {
            return rule;
        }

        return callee.Name switch
        {
            ".ctor" when typeName is "System.IO.StreamReader" or "System.IO.StreamWriter" && FirstParameterIs(callee, "System.String") => FileIo,
            ".ctor" when typeName == "System.Threading.CancellationTokenSource" && callee.Parameters.Count == 1 => RealTime,
            "GetFullPath" when typeName == "System.IO.Path" && callee.Parameters.Count == 1 => Environment + " (the current directory)",
            "GetResult" when IsAwaiter(type) && !IsCompilerAwait(site, caller) => Blocking + " (GetAwaiter().GetResult())",
            "ConfigureAwait" when typeName.StartsWith("System.Threading.Tasks.", StringComparison.Ordinal) && !ContinuesOnContext(site, callee) => "ConfigureAwait(false): continues off the orchestrator thread",
            _ => null,
        };
    }

    private static bool FirstParameterIs(MethodReference method, string typeName) =>
        method.Parameters.Count > 0 && method.Parameters[0].ParameterType.FullName == typeName;

    private static bool IsAwaiter(TypeReference type) =>
        (type.DeclaringType ?? type).Namespace == "System.Runtime.CompilerServices" && type.Name.Contains("Awaiter", StringComparison.Ordinal);

    /// <summary>
    /// An <c>await</c> compiles, inside an async state machine's MoveNext, to GetAwaiter, IsCompleted,
    /// a suspension (AwaitUnsafeOnCompleted) and then GetResult, so the call before its GetResult is
    /// never GetAwaiter; blocking code (<c>task.GetAwaiter().GetResult()</c>) calls them back to back.
    /// </summary>
    private static bool IsCompilerAwait(Instruction site, MethodDefinition caller)
    {
        if (caller.Name != "MoveNext" || !caller.DeclaringType.Interfaces.Any(i => i.InterfaceType.FullName == "System.Runtime.CompilerServices.IAsyncStateMachine"))
        {
            return false;
        }

        for (var previous = site.Previous; previous is not null; previous = previous.Previous)
        {
            if (previous.OpCode.FlowControl == FlowControl.Call)
            {
                return previous.Operand is not MethodReference { Name: "GetAwaiter" };
            }
        }

        return false;
    }

    /// <summary>True when the argument is a constant that keeps the continuation on the orchestrator's context.</summary>
    private static bool ContinuesOnContext(Instruction site, MethodReference callee)
    {
        int? constant = site.Previous?.OpCode.Code switch
        {
            Code.Ldc_I4_0 => 0,
            Code.Ldc_I4_1 => 1,
            Code.Ldc_I4_2 => 2,
            Code.Ldc_I4_3 => 3,
            Code.Ldc_I4_4 => 4,
            Code.Ldc_I4_5 => 5,
            Code.Ldc_I4_6 => 6,
            Code.Ldc_I4_7 => 7,
            Code.Ldc_I4_S => (sbyte)site.Previous.Operand,
            Code.Ldc_I4 => (int)site.Previous.Operand,
            _ => null,
        };

        // ConfigureAwait(bool) continues on the context when true; ConfigureAwait(ConfigureAwaitOptions) when its ContinueOnCapturedContext flag (1) is set.
        var byBool = callee.Parameters.Count > 0 && callee.Parameters[^1].ParameterType.FullName == "System.Boolean";
        return constant is { } value && (byBool ? value != 0 : (value & 1) != 0);
    }
}
