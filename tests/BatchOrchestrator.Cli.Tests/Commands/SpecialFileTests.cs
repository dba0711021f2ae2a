using System.Diagnostics;
using BatchOrchestrator.Cli.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Commands;

/// <summary>
/// The file probe: a FIFO named like a workflow blocks whoever opens it, and /dev/zero (or a link
/// to it) never ends while its size says 0. <c>bo check</c> and <c>bo run</c> refuse them at
/// once, saying which file and what it is, and never open them.
/// </summary>
[TestClass]
public sealed class SpecialFileTests
{
    /// <summary>Well past the "under a second" the probe asks for; reaching it means a hang (a FIFO) or a read without end (a device).</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    [TestMethod]
    public async Task Bo_check_refuses_an_include_of_a_device_a_fifo_workflow_and_a_link_to_a_device()
    {
        using var project = new CliProject();
        var include = project.Write("inc.dig", "+a:\n  !include : '/dev/zero'\n");
        var fifo = MakeFifo(Path.Combine(project.Folder, "x.dig"));
        var link = Path.Combine(project.Folder, "zero.dig");
        File.CreateSymbolicLink(link, "/dev/zero");

        foreach (var (path, expected) in new[]
        {
            (include, $"{include}:2:14: /dev/zero is a character device, not a regular file"),
            (fifo, $"{fifo} is a FIFO (named pipe), not a regular file"),
            (link, $"{link} is a character device, not a regular file"),
        })
        {
            var clock = Stopwatch.StartNew();
            using var hang = new CancellationTokenSource(Hang);
            var result = await project.BoAsync(["check", path], hang.Token);
            Assert.AreEqual(1, result.Exit, result.ToString());
            Assert.Contains(expected, result.All, result.ToString());
            Assert.DoesNotContain("   at ", result.All);
            Console.WriteLine($"bo check {Path.GetFileName(path)}: {clock.ElapsedMilliseconds} ms");
        }
    }

    [TestMethod]
    public async Task Bo_run_refuses_a_fifo_workflow_and_a_workflow_including_a_device()
    {
        using var project = new CliProject();
        project.Write("inc.dig", "+a:\n  !include : '/dev/zero'\n");
        var fifo = MakeFifo(Path.Combine(project.Folder, "x.dig"));
        foreach (var (file, expected) in new[] { ("inc.dig", "/dev/zero is a character device, not a regular file"), ("x.dig", $"{fifo} is a FIFO (named pipe), not a regular file") })
        {
            var clock = Stopwatch.StartNew();
            using var hang = new CancellationTokenSource(Hang);
            var result = await project.BoAsync(["run", Path.Combine(project.Folder, file)], hang.Token);
            Assert.AreNotEqual(0, result.Exit, result.ToString());
            Assert.Contains(expected, result.All, result.ToString());
            Assert.DoesNotContain("   at ", result.All);
            Console.WriteLine($"bo run {file}: {clock.ElapsedMilliseconds} ms");
        }
    }

    internal static string MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.AreEqual(0, mkfifo.ExitCode, "mkfifo");
        return path;
    }
}
