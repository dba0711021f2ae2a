using System.Formats.Tar;
using System.IO.Compression;
using BatchOrchestrator.Cli.Client;
using BatchOrchestrator.Cli.Commands;
using BatchOrchestrator.Cli.Tests.Support;

namespace BatchOrchestrator.Cli.Tests.Server;

/// <summary><c>bo download</c> and <c>bo delete</c> (Digdag's <c>digdag download</c> and <c>digdag delete</c>) against a running <c>bo server</c>.</summary>
[TestClass]
public sealed class DownloadDeleteCommandsTests
{
    [TestMethod]
    public async Task Push_then_download_gives_back_the_files_byte_for_byte()
    {
        using var pushed = new CliProject();
        pushed.Write("etl.dig", "+extract:\n  sh>: sh scripts/extract.sh\n");
        pushed.Write("scripts/extract.sh", "echo extracted\r\n");
        Directory.CreateDirectory(Path.Combine(pushed.Folder, "data"));
        await File.WriteAllBytesAsync(Path.Combine(pushed.Folder, "data", "blob.bin"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
        using var served = await ServedAsync(pushed);
        var url = served.Url;

        var target = Path.Combine(pushed.Folder, "copy");
        var download = await pushed.BoAsync(["download", "etl", "-e", url, "-o", target]);
        Assert.AreEqual(0, download.Exit, download.ToString());
        Assert.Contains($"downloaded project etl from {url} into {target}: 3 files", download.Output);
        foreach (var file in new[] { "etl.dig", "scripts/extract.sh", "data/blob.bin" })
        {
            CollectionAssert.AreEqual(await File.ReadAllBytesAsync(Path.Combine(pushed.Folder, file)), await File.ReadAllBytesAsync(Path.Combine(target, file)), file);
        }

        var again = await pushed.BoAsync(["download", "etl", "-e", url, "-o", target]);
        Assert.AreEqual(2, again.Exit, again.ToString());
        Assert.Contains($"{target} is not empty", again.Error);
        File.WriteAllText(Path.Combine(target, "etl.dig"), "changed locally");
        Assert.AreEqual(0, (await pushed.BoAsync(["download", "etl", "-e", url, "-o", target, "--force"])).Exit);
        Assert.AreEqual(pushed.Read("etl.dig"), File.ReadAllText(Path.Combine(target, "etl.dig")), "--force writes the server's files over");

        var unknown = await pushed.BoAsync(["download", "nope", "-e", url, "-o", Path.Combine(pushed.Folder, "nope")]);
        Assert.AreEqual(1, unknown.Exit, unknown.ToString());
        StringAssert.StartsWith(unknown.Error, "error: the server answered 404: no project 'nope'");
        Assert.HasCount(1, unknown.Error.Trim().Split('\n'), "one line");
        Assert.IsFalse(Directory.Exists(Path.Combine(pushed.Folder, "nope")), "nothing is written for a project that is not there");
    }

    [TestMethod]
    public async Task Delete_asks_first_is_refused_while_running_and_then_the_project_is_gone()
    {
        using var pushed = new CliProject();
        var started = Path.Combine(pushed.Folder, "started");
        var release = Path.Combine(pushed.Folder, "release");
        pushed.Write("etl.dig", $"+wait:\n  sh>: touch {started}; while [ ! -f {release} ]; do sleep 0.05; done\n");
        using var served = await ServedAsync(pushed);
        var url = served.Url;

        var unattended = await pushed.BoAsync(["delete", "etl", "-e", url]);
        Assert.AreEqual(2, unattended.Exit, unattended.ToString());
        Assert.Contains("no one is at a terminal to give it: add --force", unattended.Error);
        var declined = await pushed.BoAsync(["delete", "etl", "-e", url], typed: "n\n");
        Assert.AreEqual(1, declined.Exit, declined.ToString());
        Assert.Contains("delete project etl from", declined.Output);
        Assert.Contains("not deleted", declined.Output);

        var start = await pushed.BoAsync(["start", "-e", url, "etl", "etl", "--session", "2026-11-21"]);
        Assert.AreEqual(0, start.Exit, start.ToString());
        var attempt = start.Output.Split(' ').Single(w => w.StartsWith("bo:etl:etl:", StringComparison.Ordinal));
        await WaitForFileAsync(started);
        var busy = await pushed.BoAsync(["delete", "etl", "-e", url, "--force"]);
        Assert.AreEqual(1, busy.Exit, busy.ToString());
        StringAssert.StartsWith(busy.Error, $"error: the server answered 409: project etl has a running attempt (workflow etl, attempt {attempt})");
        Assert.DoesNotContain("   at ", busy.All);

        File.WriteAllText(release, string.Empty);
        Assert.AreEqual(0, (await pushed.BoAsync(["log", attempt, "-f", "-e", url])).Exit, "the attempt ends");
        var deleted = await pushed.BoAsync(["delete", "etl", "-e", url], typed: "y\n");
        Assert.AreEqual(0, deleted.Exit, deleted.ToString());
        Assert.Contains($"deleted project etl from {url}", deleted.Output);

        var workflows = await pushed.BoAsync(["workflows", "-e", url]);
        Assert.AreEqual(0, workflows.Exit, workflows.ToString());
        Assert.DoesNotContain("etl", workflows.Output);
        Assert.Contains(served.Project.Name, workflows.Output);
    }

    [TestMethod]
    public async Task A_hostile_archive_writes_nothing_outside_the_folder()
    {
        using var place = new CliProject();
        var target = Path.Combine(place.Folder, "copy");
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "../escaped.txt") { DataStream = new MemoryStream([1, 2, 3]) });
        }

        var refused = await Assert.ThrowsExactlyAsync<UserError>(() => ProjectDownload.ReadAsync(buffer.ToArray(), CancellationToken.None));
        Assert.Contains("the server sent an archive bo does not unpack", refused.Message);
        var outside = await Assert.ThrowsExactlyAsync<UserError>(() => ProjectDownload.WriteAsync(target, new Dictionary<string, byte[]> { ["../escaped.txt"] = [1] }, CancellationToken.None));
        Assert.Contains("outside", outside.Message);
        Assert.IsFalse(File.Exists(Path.Combine(place.Folder, "escaped.txt")));
    }

    /// <summary>A running <c>bo server</c> with a folder project of its own, and <paramref name="pushed"/> pushed to it as <c>etl</c>.</summary>
    private static async Task<Served> ServedAsync(CliProject pushed)
    {
        var project = new CliProject();
        project.Write("daily.dig", "+a:\n  echo>: served\n");
        var server = await BoServerProcess.StartAsync(project.Folder);
        var served = new Served(project, server);
        var push = await pushed.BoAsync(["push", pushed.Folder, "-e", served.Url, "--project", "etl"]);
        if (push.Exit != 0)
        {
            served.Dispose();
            Assert.Fail(push.ToString());
        }

        return served;
    }

    private sealed record Served(CliProject Project, BoServerProcess Server) : IDisposable
    {
        public string Url => Server.Client.BaseAddress!.ToString();

        public void Dispose()
        {
            Server.Dispose();
            Project.Dispose();
        }
    }

    private static async Task WaitForFileAsync(string path)
    {
        using var guard = new CancellationTokenSource(CliProject.Guard);
        while (!File.Exists(path))
        {
            await Task.Delay(50, guard.Token);
        }
    }
}
