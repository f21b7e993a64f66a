import Foundation

/// The two independent readers of the Prometheus text format the metrics tests hand a page to:
/// `promtool check metrics` (Debian's `prometheus` package; it also lints naming conventions)
/// and the Python client library's parser (`prometheus_client`, from PyPI). `scripts/test.sh`
/// installs both.
enum ExpositionParsers {
    /// What `promtool check metrics` said: its exit status and output.
    static func promtool(_ page: String) throws -> (status: ExitStatus, output: String) {
        let directory = try TempDirectory(prefix: "asset-sidecar-promtool")
        let file = directory.path("metrics.txt")
        try Data(page.utf8).write(to: URL(fileURLWithPath: file))
        let tool = try ExternalTool.path("promtool")
        let process = try ChildProcess(
            ["/bin/sh", "-c", "exec \"$0\" check metrics < \"$1\"", tool, file])
        let status = try process.waitForExit(timeout: .seconds(30))
        let output = String(decoding: process.standardOutput, as: UTF8.self)
        return (status, output + process.standardError)
    }

    /// One sample as `prometheus_client` parsed it.
    struct Sample: Decodable, Sendable {
        var family: String
        var type: String
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// Every sample of `page` as parsed by `prometheus_client.parser`; throws when it refuses
    /// the page (or is not installed).
    static func pythonClient(_ page: String) throws -> [Sample] {
        let directory = try TempDirectory(prefix: "asset-sidecar-pyprom")
        let file = directory.path("metrics.txt")
        try Data(page.utf8).write(to: URL(fileURLWithPath: file))
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for s in family.samples:
                    out.append(dict(family=family.name, type=family.type, name=s.name,
                                    labels=s.labels, value=s.value))
            print(json.dumps(out))
            """
        let process = try ChildProcess(
            [try ExternalTool.path("python3"), "-c", script, file])
        guard try process.waitForExit(timeout: .seconds(30)) == .exited(0) else {
            throw SupportError.unavailable(
                "prometheus_client refused the page: \(process.standardError)")
        }
        return try JSONDecoder().decode([Sample].self, from: Data(process.standardOutput))
    }
}
