using BatchOrchestrator.Aot.Tests.Support;

namespace BatchOrchestrator.Aot.Tests;

/// <summary>
/// How the release profile links <c>bo</c>: position-independent, so its image is loaded at a random
/// address, which <c>bo server</c> relies on as hardening (a fixed-address build cut ~5 ms of
/// start-up CPU and was turned down for that reason: bench/engine/README.md, "one-shot").
/// </summary>
[TestClass]
public sealed class ShippedBinaryTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Bo_is_a_position_independent_executable()
    {
        var image = await ElfImage.ReadAsync(await AotBo.PathAsync(), TestContext.CancellationToken);

        Assert.AreEqual(ElfFileType.SharedObject, image.Type, "a fixed-address bo would give up address randomisation of its own image");
    }
}
