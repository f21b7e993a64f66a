import HTTP1
import Loop
import Serve

/// The Prometheus text exposition (format 0.0.4) of every loop's counters (behaviour §7.2), served
/// on a socket named `metrics`: the server's own series under `asset_sidecar_`, the standard
/// `process_*` ones of the client libraries, and a request-duration histogram per site.
enum MetricsPage {
    /// One socket name (the `site` label) and its listeners' histograms, one per loop.
    struct Site {
        var name: String
        var durations: [RequestDurations]
    }

    /// Renders the page from the loops' transport counters, their handlers' response counters
    /// and histograms, and the process's own figures.
    static func render(
        loops: [LoopStats], responses: [ResponseStats], sites: [Site], process: ProcessSample
    ) -> [UInt8] {
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
        text += "# HELP asset_sidecar_build_info The running version; the value is always 1.\n"
        text += "# TYPE asset_sidecar_build_info gauge\n"
        text += "asset_sidecar_build_info{version=\"\(label(sidecarVersion))\"} 1\n"
        text += histogram(sites)
        text += processLines(process)
        return Array(text.utf8)
    }

    /// `asset_sidecar_request_duration_seconds`: cumulative buckets per site, summed over
    /// loops; `_count` is the `+Inf` bucket, so the two always agree.
    private static func histogram(_ sites: [Site]) -> String {
        let name = "asset_sidecar_request_duration_seconds"
        var text = "# HELP \(name) Time from a request's head to its response's last byte.\n"
        text += "# TYPE \(name) histogram\n"
        for site in sites {
            let labels = "site=\"\(label(site.name))\""
            var cumulative: UInt64 = 0
            for index in 0...RequestDurations.bounds.count {
                cumulative += site.durations.reduce(0) {
                    $0 + $1.buckets[index].load(ordering: .relaxed)
                }
                let bound =
                    index < RequestDurations.bounds.count
                    ? seconds(RequestDurations.bounds[index]) : "+Inf"
                text += "\(name)_bucket{\(labels),le=\"\(bound)\"} \(cumulative)\n"
            }
            let sum = site.durations.reduce(0) { $0 + $1.sumMicroseconds.load(ordering: .relaxed) }
            text += "\(name)_sum{\(labels)} \(seconds(sum))\n"
            text += "\(name)_count{\(labels)} \(cumulative)\n"
        }
        return text
    }

    /// The standard process metrics, each only when it could be read.
    private static func processLines(_ process: ProcessSample) -> String {
        let metrics: [(name: String, type: String, help: String, value: String?)] = [
            (
                "process_cpu_seconds_total", "counter",
                "Total user and system CPU time in seconds.", process.cpuSeconds.map { "\($0)" }
            ),
            (
                "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
                process.residentBytes.map { "\($0)" }
            ),
            (
                "process_open_fds", "gauge", "Number of open file descriptors.",
                process.openDescriptors.map { "\($0)" }
            ),
            (
                "process_max_fds", "gauge", "Maximum number of open file descriptors.",
                process.maxDescriptors.map { "\($0)" }
            ),
            (
                "process_start_time_seconds", "gauge",
                "Start time of the process since unix epoch in seconds.",
                process.startTimeSeconds.map { "\($0)" }
            ),
        ]
        return metrics.reduce(into: "") { text, metric in
            guard let value = metric.value else { return }
            text += "# HELP \(metric.name) \(metric.help)\n# TYPE \(metric.name) \(metric.type)\n"
            text += "\(metric.name) \(value)\n"
        }
    }

    /// Microseconds as decimal seconds (`0.0025`), exactly.
    private static func seconds(_ microseconds: UInt64) -> String {
        let fraction = String(microseconds % 1_000_000)
        let padded = String(repeating: "0", count: 6 - fraction.count) + fraction
        var digits = Substring(padded)
        while digits.last == "0" { digits = digits.dropLast() }
        return digits.isEmpty
            ? "\(microseconds / 1_000_000)" : "\(microseconds / 1_000_000).\(digits)"
    }

    /// A label value escaped as the exposition format requires (`\\`, `\"`, `\n`).
    private static func label(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
