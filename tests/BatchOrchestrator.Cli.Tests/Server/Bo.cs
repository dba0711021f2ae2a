using System.CommandLine;
using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Server.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Server;

/// <summary><c>bo</c> run in-process through its real command line, output captured.</summary>
internal static class Bo
{
    public static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var guard = new CancellationTokenSource(TestServer.Guard);
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error) { PollInterval = TimeSpan.FromMilliseconds(50) };
        var exit = await BoCommandLine.Create(context).Parse(args).InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null },
            guard.Token);
        return (exit, output.ToString(), error.ToString());
    }
}
