import Glibc
import Loop

/// `/healthz` on the metrics socket (behaviour §7.2): healthy while every event loop began a turn
/// within the last three heartbeats. Loops wake at least once per heartbeat (the watchdog's
/// own rule, behaviour §1.6), so a loop that has not turned for three is wedged — blocked in a
/// system call or stopped — even though the process and its other loops still answer.
struct LoopHealth {
    /// Milliseconds between a loop's forced wake-ups.
    let heartbeat: Int64

    /// A loop's latest turn may be at most this old (milliseconds).
    var window: Int64 { 3 * heartbeat }

    /// The indexes of the loops whose latest turn is older than the window, with its age in
    /// milliseconds, at monotonic millisecond `now`.
    func stalled(_ loops: [LoopStats], now: Int64) -> [(loop: Int, age: Int64)] {
        loops.enumerated().compactMap { index, stats in
            let age = now - stats.lastTurn.load(ordering: .relaxed)
            return age > window ? (index, age) : nil
        }
    }

    /// The page's body: `ok`, or one line per stalled loop.
    func report(_ loops: [LoopStats], now: Int64) -> (healthy: Bool, body: [UInt8]) {
        let stalled = stalled(loops, now: now)
        guard !stalled.isEmpty else { return (true, Array("ok\n".utf8)) }
        let lines = stalled.map {
            "loop \($0.loop) has not turned for \($0.age) ms (limit \(window) ms)\n"
        }
        return (false, Array(lines.joined().utf8))
    }
}
