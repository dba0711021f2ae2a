using System.CommandLine;
using System.Runtime.InteropServices;
using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Cli.Output;
using Spectre.Console;

if (!OperatingSystem.IsLinux())
{
    await Console.Error.WriteLineAsync("bo runs on Linux (the local engine runs tasks as Linux processes)");
    return 1;
}

var context = new CliContext(Console.Out, Console.Error)
{
    Input = Console.In,
    InputIsTerminal = !Console.IsInputRedirected,

    // A live display only makes sense on a terminal; piped output gets plain lines.
    Display = Console.IsOutputRedirected ? null : new LiveProgressDisplay(AnsiConsole.Console),
};

// Ctrl-C and SIGTERM cancel the command's token; it has time to stop the engine cleanly (processes
// killed, state saved) before the process is forced down. Handled here rather than by the command
// line's own handler so that which signal it was is known before the command sees the cancellation.
using var stopping = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await BoCommandLine.Create(context).Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stopping.Token);

void Stop(PosixSignalContext signal)
{
    signal.Cancel = true;
    if (signal.Signal == PosixSignal.SIGTERM)
    {
        context.Stop.Terminate();
    }

    if (!stopping.IsCancellationRequested)
    {
        stopping.Cancel();
        _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => Environment.Exit(context.Stop.ExitCode), TaskScheduler.Default);
    }
}
