[assembly: Parallelize(Workers = 2, Scope = ExecutionScope.MethodLevel)]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
