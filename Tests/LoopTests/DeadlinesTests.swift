import Testing

@testable import Loop

/// The O(1) per-kind deadline lists.
@Suite struct DeadlinesTests {
    @Test func earliestIsTheHeadOfTheEarliestList() {
        var deadlines = Deadlines()
        deadlines.reserve(slots: 4)
        deadlines.schedule(0, .idle, at: 100)
        deadlines.schedule(1, .header, at: 50)
        deadlines.schedule(2, .header, at: 60)
        #expect(deadlines.earliest == 50)
        #expect(deadlines.popExpired(now: 49) == nil)
        #expect(deadlines.popExpired(now: 55)! == (1, .header))
        #expect(deadlines.popExpired(now: 55) == nil)
        #expect(deadlines.earliest == 60)
    }

    @Test func reschedulingMovesASlotToTheTailOfItsNewList() {
        var deadlines = Deadlines()
        deadlines.reserve(slots: 3)
        deadlines.schedule(0, .send, at: 10)
        deadlines.schedule(1, .send, at: 20)
        deadlines.schedule(0, .send, at: 30)
        #expect(deadlines.kind(of: 0) == .send)
        #expect(deadlines.popExpired(now: 25)! == (1, .send))
        #expect(deadlines.popExpired(now: 25) == nil)
        deadlines.schedule(0, .idle, at: 40)
        #expect(deadlines.kind(of: 0) == .idle)
        #expect(deadlines.popExpired(now: 35) == nil)
        #expect(deadlines.popExpired(now: 40)! == (0, .idle))
    }

    @Test func cancelUnlinksFromTheMiddle() {
        var deadlines = Deadlines()
        deadlines.reserve(slots: 3)
        for slot in 0..<3 { deadlines.schedule(slot, .header, at: Int64(slot)) }
        deadlines.cancel(1)
        deadlines.cancel(1)
        #expect(deadlines.kind(of: 1) == nil)
        var order: [Int] = []
        while let (slot, _) = deadlines.popExpired(now: 10) { order.append(slot) }
        #expect(order == [0, 2])
        #expect(deadlines.earliest == nil)
    }
}
