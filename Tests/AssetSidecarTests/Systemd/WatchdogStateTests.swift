import Testing

@testable import AssetSidecar

/// The watchdog pings only while every loop turns (behaviour §1.6).
@Suite("WatchdogState")
struct WatchdogStateTests {
    @Test func firstCheckPings() {
        let state = WatchdogState(interval: 500, now: 1_000)
        #expect(state.next == 1_000)
        #expect(state.allAdvanced([0, 0]))
    }

    @Test func pingsOnlyWhenEveryLoopAdvanced() {
        var state = WatchdogState(interval: 500, now: 1_000)
        state.record([3, 7], now: 1_000)
        #expect(state.next == 1_500)
        #expect(state.allAdvanced([4, 9]))
        #expect(!state.allAdvanced([4, 7]))
        #expect(!state.allAdvanced([3, 7]))
    }
}
