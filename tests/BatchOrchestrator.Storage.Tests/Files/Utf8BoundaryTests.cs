using BatchOrchestrator.Storage.Files;

namespace BatchOrchestrator.Storage.Tests.Files;

[TestClass]
public sealed class Utf8BoundaryTests
{
    [TestMethod]
    [DataRow(new byte[] { }, 0, DisplayName = "empty")]
    [DataRow(new byte[] { 0x61, 0x62 }, 2, DisplayName = "ASCII")]
    [DataRow(new byte[] { 0x61, 0xC3 }, 1, DisplayName = "2-byte lead only")]
    [DataRow(new byte[] { 0x61, 0xC3, 0xA9 }, 3, DisplayName = "2-byte whole")]
    [DataRow(new byte[] { 0x61, 0xE2, 0x82 }, 1, DisplayName = "3-byte missing one")]
    [DataRow(new byte[] { 0xE2, 0x82, 0xAC }, 3, DisplayName = "3-byte whole")]
    [DataRow(new byte[] { 0x61, 0xF0, 0x9F, 0x98 }, 1, DisplayName = "4-byte missing one")]
    [DataRow(new byte[] { 0xF0, 0x9F, 0x98, 0x80 }, 4, DisplayName = "4-byte whole")]
    [DataRow(new byte[] { 0x80, 0x80 }, 2, DisplayName = "stray continuations count as complete")]
    [DataRow(new byte[] { 0x61, 0x80, 0x80, 0x80, 0x80, 0x80 }, 6, DisplayName = "too many continuations count as complete")]
    public void CompleteLengthStopsBeforeAnUnfinishedCharacter(byte[] bytes, int expected) =>
        Assert.AreEqual(expected, Utf8Boundary.CompleteLength(bytes));
}
