import Glibc

/// How often each `Divergence` explained a disagreement in this process, printed at exit so that a run's log shows which entries of the table its inputs reached.
enum DivergenceCounts {
    /// Indexed by the position of the divergence in `Divergence.allCases`. libFuzzer runs one
    /// input at a time on one thread.
    nonisolated(unsafe) private static var counts = [Int](
        repeating: 0, count: Divergence.allCases.count)
    nonisolated(unsafe) private static var registered = false

    /// Counts one use of `divergence`.
    static func add(_ divergence: Divergence) {
        if !registered {
            registered = true
            atexit { DivergenceCounts.report() }
        }
        counts[Divergence.allCases.firstIndex(of: divergence)!] += 1
    }

    private static func report() {
        for (divergence, count) in zip(Divergence.allCases, counts) {
            print("divergence \(divergence): \(count) (\(divergence.clause))")
        }
    }
}

extension Divergence {
    /// Counts one disagreement this divergence explained.
    func note() {
        DivergenceCounts.add(self)
    }
}
