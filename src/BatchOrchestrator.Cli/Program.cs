using System.CommandLine;
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

    // A live display only makes sense on a terminal; piped output gets plain lines.
    Display = Console.IsOutputRedirected ? null : new LiveProgressDisplay(AnsiConsole.Console),
};

// Ctrl-C cancels the command's token; give it time to stop the engine cleanly (processes killed,
// state saved) before the process is forced down.
return await BoCommandLine.Create(context).Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
