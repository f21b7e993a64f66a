/// The Prometheus text exposition (format 0.0.4) of every loop's counters (SPEC §7.2), served
/// on a socket named `metrics`.
enum MetricsPage {
    /// Renders the page from the loops' counters.
    static func render(_ loops: [LoopStats]) -> [UInt8] {
        var text = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Int64)]) {
            text += "# HELP asset_sidecar_\(name) \(help)\n# TYPE asset_sidecar_\(name) \(type)\n"
            for (labels, value) in samples {
                text += "asset_sidecar_\(name)\(labels) \(value)\n"
            }
        }
        func sum<T: BinaryInteger>(_ value: (LoopStats) -> T) -> Int64 {
            loops.reduce(0) { $0 + Int64(value($1)) }
        }
        metric(
            "responses_total", "counter", "Responses sent, by status code.",
            Status.allCases.map { status in
                (
                    "{code=\"\(status.rawValue)\"}",
                    sum { $0.responses[Status.index(of: status)].load(ordering: .relaxed) }
                )
            })
        metric(
            "sent_bytes_total", "counter", "Bytes written, by method (sendfile is zero-copy).",
            [
                ("{method=\"sendfile\"}", sum { $0.bytesSendfile.load(ordering: .relaxed) }),
                ("{method=\"copy\"}", sum { $0.bytesCopied.load(ordering: .relaxed) }),
            ])
        metric(
            "open_connections", "gauge", "Connections open now.",
            [("", sum { $0.openConnections.load(ordering: .relaxed) })])
        metric(
            "accepted_connections_total", "counter", "Connections accepted.",
            [("", sum { $0.acceptedConnections.load(ordering: .relaxed) })])
        metric(
            "file_cache_lookups_total", "counter", "Open-file cache lookups, by result.",
            [
                ("{result=\"hit\"}", sum { $0.cacheHits.load(ordering: .relaxed) }),
                ("{result=\"miss\"}", sum { $0.cacheMisses.load(ordering: .relaxed) }),
            ])
        metric(
            "truncations_total", "counter",
            "Responses cut short because the file shrank while it was sent.",
            [("", sum { $0.truncations.load(ordering: .relaxed) })])
        metric(
            "timeouts_total", "counter", "Connections closed by a timeout, by kind.",
            [
                ("{kind=\"header\"}", sum { $0.headerTimeouts.load(ordering: .relaxed) }),
                ("{kind=\"idle\"}", sum { $0.idleTimeouts.load(ordering: .relaxed) }),
                ("{kind=\"send\"}", sum { $0.sendTimeouts.load(ordering: .relaxed) }),
            ])
        metric(
            "errors_total", "counter", "Connection-level errors, by kind.",
            [
                ("{kind=\"peer_reset\"}", sum { $0.peerResets.load(ordering: .relaxed) }),
                ("{kind=\"accept_paused\"}", sum { $0.acceptPauses.load(ordering: .relaxed) }),
            ])
        return Array(text.utf8)
    }
}
