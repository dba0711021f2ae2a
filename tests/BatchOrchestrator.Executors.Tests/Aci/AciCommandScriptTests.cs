using System.Diagnostics;
using BatchOrchestrator.Executors.Aci;

namespace BatchOrchestrator.Executors.Tests.Aci;

/// <summary>The container wrapper, run by this machine's real <c>/bin/sh</c>, base64 and tar — as the container would.</summary>
[TestClass]
public sealed class AciCommandScriptTests
{
    [TestMethod]
    public async Task The_wrapper_unpacks_the_files_runs_the_quoted_command_reports_the_output_file_and_keeps_the_exit_code()
    {
        var files = new Dictionary<string, string> { ["lib/msg.txt"] = "it's here" };
        string[] command = ["/bin/sh", "-c", "cat \"$BO_TASK_DIR/lib/msg.txt\"; echo; echo 'k=v' > \"$BO_OUTPUT\"; exit 4"];

        var (exitCode, output) = await RunAsync(AciCommandScript.Quote(command), AciCommandScript.PackFiles(files));

        Assert.AreEqual(4, exitCode, output);
        var delta = AciLogDelta.Read(output, AciLogPosition.Start);
        Assert.AreEqual("it's here\n", delta.Text);
        Assert.AreEqual("k=v\n", delta.Output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string quotedCommand, string? files)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in AciCommandScript.ContainerCommand.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[AciCommandScript.CommandVariable] = quotedCommand;
        if (files is not null)
        {
            start.Environment[AciCommandScript.FilesVariable] = files;
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }
}
