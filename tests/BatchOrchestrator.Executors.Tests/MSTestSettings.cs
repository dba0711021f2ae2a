using System.Runtime.Versioning;

[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]

// The local executor runs processes through Linux's libc and /proc.
[assembly: SupportedOSPlatform("linux")]
