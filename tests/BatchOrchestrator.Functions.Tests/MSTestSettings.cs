// Two at a time: each test runs a whole runtime (and its scripts' processes) on a shared 2-core machine.
[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.MethodLevel)]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
