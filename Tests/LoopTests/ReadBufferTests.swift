import Testing

@testable import Loop

/// The bounded receive buffer.
@Suite struct ReadBufferTests {
    private func fill(_ buffer: inout ReadBuffer, _ bytes: [UInt8]) -> Int {
        let space = buffer.freeSpace()
        let count = min(space.count, bytes.count)
        space.copyBytes(from: bytes[..<count])
        buffer.commit(count)
        return count
    }

    @Test func growsToItsLimitAndNoFurther() {
        var buffer = ReadBuffer(limit: 10_000)
        var total = 0
        while true {
            let written = fill(&buffer, [UInt8](repeating: 7, count: 3000))
            if written == 0 { break }
            total += written
        }
        let (count, allSevens) = (buffer.count, buffer.pending.allSatisfy { $0 == 7 })
        #expect(total == 10_000)
        #expect(count == 10_000)
        #expect(allSevens)
    }

    @Test func consumingCompactsBeforeGrowing() {
        var buffer = ReadBuffer(limit: ReadBuffer.initialCapacity)
        _ = fill(&buffer, [UInt8](repeating: 1, count: ReadBuffer.initialCapacity - 2) + [2, 3])
        buffer.consume(ReadBuffer.initialCapacity - 2)
        let before = Array(buffer.pending)
        #expect(before == [2, 3])
        #expect(fill(&buffer, [4, 5]) == 2)
        let after = Array(buffer.pending)
        #expect(after == [2, 3, 4, 5])
        buffer.consume(4)
        let isEmpty = buffer.isEmpty
        #expect(isEmpty)
    }

    @Test func shrinksWhenIdle() {
        var buffer = ReadBuffer(limit: 65536)
        for _ in 0..<4 { _ = fill(&buffer, [UInt8](repeating: 1, count: 4096)) }
        let grown = buffer.storage.count
        #expect(grown > ReadBuffer.initialCapacity)
        buffer.consume(buffer.count)
        buffer.shrinkIfLarge()
        let shrunk = buffer.storage.count
        #expect(shrunk == ReadBuffer.initialCapacity)
    }
}
