using BatchOrchestrator.Aot.Tests.Support;

namespace BatchOrchestrator.Aot.Tests;

/// <summary>
/// How the release profile links <c>bo</c>: position-independent (its image is loaded at a random
/// address, which <c>bo server</c> relies on as hardening), with its runtime data linked in place
/// and the pointers in it adjusted from a packed table, which is what a start costs.
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

    [TestMethod]
    public async Task Bo_adjusts_its_pointers_at_start_from_a_packed_table()
    {
        var image = await ElfImage.ReadAsync(await AotBo.PathAsync(), TestContext.CancellationToken);

        // Hydrated data in a PIE has ~500,000 pointers to adjust at every start: one 24-byte entry
        // each (12 MB) unpacked, a few hundred KB of bitmaps packed (-z pack-relative-relocs).
        Assert.IsTrue(image.Sections.Any(s => s.Type == ElfImage.SectionTypeRelr && s.Size > 0), "no packed relative relocations (.relr.dyn)");
        var rela = image.Sections.Where(s => s.Type == ElfImage.SectionTypeRela).Sum(s => s.Size);
        Assert.IsLessThan(1024 * 1024, rela, $"{rela} bytes of unpacked relocations");
    }
}
