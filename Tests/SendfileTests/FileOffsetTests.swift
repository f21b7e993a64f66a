import Sendfile
import SystemPackage
import Testing

/// Explicit 64-bit file offsets, independent of the file's own position.
@Suite struct FileOffsetTests {
    /// A sparse 5 GiB file with a marker past 4 GiB, where a 32-bit offset would wrap.
    @Test func offsetPastFourGiB() throws {
        let pair = try SocketPair()
        let file = try TemporaryFile()
        let fourGiB: Int64 = 1 << 32
        try file.resize(to: 5 * fourGiB / 4)
        let marker = Array("marker past 4 GiB".utf8)
        try file.write(marker, at: fourGiB + 123)
        var transfer = Transfer([
            file.segment(offset: fourGiB + 123 - 5, length: Int64(marker.count) + 10),
            file.segment(offset: fourGiB + 123, length: Int64(marker.count)),
        ])

        let result = try pump(&transfer, through: pair)

        let padding = [UInt8](repeating: 0, count: 5)
        #expect(result.outcome == .done)
        #expect(result.received == padding + marker + padding + marker)
        #expect(try file.position() == 0)
    }

    /// The file's position sits away from every segment and stays there across partial writes.
    @Test func positionUnchanged() throws {
        let pair = try SocketPair()
        let contents = pattern(count: 300_000)
        let file = try TemporaryFile(contents: contents)
        _ = try file.descriptor.seek(offset: 777, from: .start)
        var transfer = Transfer([
            file.segment(offset: 100_000, length: 100_000),
            file.segment(offset: 0, length: 50_000),
        ])
        var received: [UInt8] = []
        var outcome: TransferOutcome? = .wouldBlock
        var calls = 0
        while outcome == .wouldBlock, calls < maximumCalls {
            outcome = sendPromptly(&transfer, to: pair.sender)
            calls += 1
            #expect(try file.position() == 777)
            received += try pair.drain()
        }

        #expect(outcome == .done)
        #expect(calls > 1)
        #expect(received == Array(contents[100_000..<200_000] + contents[..<50_000]))
    }
}
