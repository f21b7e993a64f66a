import Foundation
import Glibc
import Testing

/// The metrics page follows Prometheus conventions (behaviour §7.2), as judged by two independent
/// parsers: `promtool check metrics` accepts it without a lint complaint, and the Python client
/// library reads `asset_sidecar_build_info`, the standard `process_*` metrics, and a
/// request-duration histogram per site whose buckets are cumulative and whose count grows by
/// the requests served.
@Suite("Prometheus format")
struct PrometheusFormatTests {
    /// promtool: a valid page, no lint problem.
    @Test func promtoolAcceptsThePage() throws {
        let sidecar = try SupervisedSidecar(TempSite(), metrics: true)
        try sidecar.start()
        #expect(try sidecar.get("/missing").status == 404)
        let page = try sidecar.connectMetrics().get("/metrics").text
        let (status, output) = try ExpositionParsers.promtool(page)
        #expect(status == .exited(0), "promtool: \(output)")
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(output)")
    }

    /// prometheus_client: every family parses; build info, process metrics and the histogram
    /// hold what the process and its requests say.
    @Test func pythonClientReadsEveryFamily() throws {
        let site = try TempSite()
        try site.write("a.txt", text: "a\n")
        let sidecar = try SupervisedSidecar(site, arguments: ["--threads", "2"], metrics: true)
        try sidecar.start()
        // One connection to each socket, kept open: the descriptors open at the scrape are
        // exactly those open when the test counts them afterwards.
        let scraper = try sidecar.connectMetrics()
        let client = try sidecar.connect()
        func value(
            _ name: String, _ labels: [String: String] = [:], in list: [ExpositionParsers.Sample]
        )
            -> Double?
        {
            list.first { $0.name == name && $0.labels == labels }?.value
        }
        let name = "asset_sidecar_request_duration_seconds"
        let before = try ExpositionParsers.pythonClient(scraper.get("/metrics").text)
        let earlier = value("\(name)_count", ["site": "assets"], in: before) ?? 0
        for _ in 0..<5 { #expect(try client.get("/a.txt").status == 200) }
        // A response is recorded by its loop just after its last byte is sent, and the scrape may
        // be served by the other loop first; a descriptor may be open for a moment (the
        // `sd_notify` socket of a STATUS= line). So scrape until the page shows the five
        // responses and the descriptors it reports are the ones /proc shows right after.
        var samples = before
        try BoundedWait.until("a scrape showing the five responses and the open descriptors") {
            samples = try ExpositionParsers.pythonClient(scraper.get("/metrics").text)
            let count = value("\(name)_count", ["site": "assets"], in: samples) ?? 0
            let open = value("process_open_fds", in: samples)
            let descriptors = Double(try ProcessInspection.descriptorCount(sidecar.pid))
            return count - earlier >= 5 && open == descriptors
        }
        let build = try #require(samples.first { $0.name == "asset_sidecar_build_info" })
        #expect(build.type == "gauge")
        #expect(build.value == 1)
        #expect(build.labels["version"]?.isEmpty == false)

        let families = Dictionary(samples.map { ($0.name, $0.type) }) { first, _ in first }
        #expect(families["process_cpu_seconds_total"] == "counter")
        for gauge in [
            "process_resident_memory_bytes", "process_open_fds", "process_max_fds",
            "process_start_time_seconds",
        ] {
            #expect(families[gauge] == "gauge", "\(gauge)")
        }
        #expect(value("process_open_fds", in: samples) ?? 0 > 0, "open fds")
        let limits = try String(contentsOfFile: "/proc/\(sidecar.pid)/limits", encoding: .utf8)
        let files = try #require(
            limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let soft = files.split(separator: " ", omittingEmptySubsequences: true)[3]
        #expect(value("process_max_fds", in: samples) == Double(soft), "\(files)")
        let start = try #require(value("process_start_time_seconds", in: samples))
        #expect(abs(start - Double(time(nil))) < 3600, "start time \(start)")

        let buckets = samples.filter {
            $0.name == "\(name)_bucket" && $0.labels["site"] == "assets"
        }
        #expect(buckets.count == 17, "\(buckets.count) buckets")
        #expect(buckets.allSatisfy { $0.type == "histogram" })
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value }, "cumulative")
        #expect(buckets.last?.labels["le"] == "+Inf")
        let count = try #require(value("\(name)_count", ["site": "assets"], in: samples))
        #expect(count == buckets.last?.value)
        #expect(count - earlier == 5, "count grew by \(count - earlier)")
        #expect(value("\(name)_sum", ["site": "assets"], in: samples) ?? -1 >= 0)
        #expect(samples.contains { $0.name == "\(name)_count" && $0.labels["site"] == "metrics" })
    }
}
