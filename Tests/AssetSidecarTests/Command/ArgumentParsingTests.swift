import Testing

@testable import AssetSidecar

/// Durations and byte counts as the command line takes them.
@Suite struct ArgumentParsingTests {
    @Test(
        arguments: [
            ("10s", 10_000), ("75", 75_000), ("500ms", 500), ("2m", 120_000), ("1h", 3_600_000),
            ("10min", 600_000),
        ] as [(String, Int64)])
    func durations(text: String, milliseconds: Int64) {
        #expect(DurationArgument(argument: text)?.milliseconds == milliseconds)
    }

    @Test(arguments: ["", "s", "-1s", "1.5s", "10x", "ten", "99999999999999999999h", "٣s"])
    func invalidDurations(text: String) {
        #expect(DurationArgument(argument: text) == nil)
    }

    @Test(
        arguments: [
            ("8k", 8192), ("2m", 2 << 20), ("1G", 1 << 30), ("4096", 4096), ("16K", 16384),
        ] as [(String, Int64)])
    func byteCounts(text: String, bytes: Int64) {
        #expect(ByteCountArgument(argument: text)?.bytes == bytes)
        #expect(
            ByteCountArgument(argument: ByteCountArgument(bytes: bytes).description)?.bytes == bytes
        )
    }

    @Test(arguments: ["", "k", "-1k", "1.5m", "12q", "99999999999999999999g"])
    func invalidByteCounts(text: String) {
        #expect(ByteCountArgument(argument: text) == nil)
    }
}
