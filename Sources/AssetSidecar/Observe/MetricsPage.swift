import HTTP1
import Loop
import Serve

/// The Prometheus text exposition (format 0.0.4) of every loop's counters (behaviour §7.2), served
/// on a socket named `metrics`.
enum MetricsPage {
    /// Renders the page from the loops' transport counters and their handlers' response
    /// counters.
    static func render(loops: [LoopStats], responses: [ResponseStats]) -> [UInt8] {
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
        func total(_ value: (ResponseStats) -> Int) -> Int64 {
            responses.reduce(0) { $0 + Int64(value($1)) }
        }
        metric(
            "responses_total", "counter", "Responses sent, by status code.",
            Status.allCases.map { status in
                (
                    "{code=\"\(status.rawValue)\"}",
                    total { $0.responses(status) }
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
                ("{result=\"hit\"}", total { $0.cacheHits.load(ordering: .relaxed) }),
                ("{result=\"miss\"}", total { $0.cacheMisses.load(ordering: .relaxed) }),
            ])
        metric(
            "truncations_total", "counter",
            "Responses cut short because the file shrank while it was sent.",
            [("", sum { $0.truncations.load(ordering: .relaxed) })])
        metric(
            "timeouts_total", "counter", "Connections closed by a timeout, by kind.",
            [
                ("{kind=\"header\"}", sum { $0.closes(.headerTimeout) }),
                ("{kind=\"idle\"}", sum { $0.closes(.idleTimeout) }),
                ("{kind=\"send\"}", sum { $0.closes(.sendTimeout) }),
            ])
        metric(
            "errors_total", "counter", "Connection-level errors, by kind.",
            [
                ("{kind=\"peer_reset\"}", sum { $0.closes(.peerReset) }),
                ("{kind=\"accept_paused\"}", sum { $0.acceptPauses.load(ordering: .relaxed) }),
            ])
        metric(
            "closes_total", "counter", "Connections closed, by reason.",
            CloseReason.allCases.map { reason in
                ("{reason=\"\(reason.rawValue)\"}", sum { $0.closes(reason) })
            })
        return Array(text.utf8)
    }
}
