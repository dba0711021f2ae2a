namespace BatchOrchestrator.Executors.Local.Native;

/// <summary>A child started in its own session: its pid (= its process group id) and the read end of its output pipe.</summary>
internal readonly record struct SpawnedProcess(int Pid, int OutputFd);
