/// When the next `WATCHDOG=1` is due, and each loop's turn counter at the last one: a ping is
/// sent only if every loop turned since (behaviour §1.6), so one wedged loop stops the pings and
/// systemd restarts the service.
struct WatchdogState {
    /// Half of `WATCHDOG_USEC`.
    let interval: UInt64
    private(set) var next: UInt64
    private var lastTurns: [UInt64]?

    init(interval: UInt64, now: UInt64) {
        self.interval = interval
        next = now
    }

    /// Whether every loop advanced since the previous check (true at the first check).
    func allAdvanced(_ turns: [UInt64]) -> Bool {
        guard let lastTurns else { return true }
        return zip(turns, lastTurns).allSatisfy { $0 != $1 }
    }

    mutating func record(_ turns: [UInt64], now: UInt64) {
        lastTurns = turns
        next = now + interval
    }
}
