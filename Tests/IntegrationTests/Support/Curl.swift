import Foundation

/// Runs curl(1), a client nobody here wrote, against a Unix socket or the nginx under test.
enum Curl {
    /// Runs `curl -sS --noproxy '*' [--unix-socket SOCKET] ARGUMENTS…` (give the URL among
    /// `arguments`, e.g. `http://localhost/x` or `http://127.0.0.1:PORT/x`), bounded by
    /// `timeout`, and captures the last response's head, the body and the exit code.
    static func run(
        _ arguments: [String], unixSocket: String? = nil, timeout: Duration = .seconds(10)
    ) throws -> CurlResult {
        let directory = try TempDirectory(prefix: "asset-sidecar-curl")
        let (seconds, attoseconds) = timeout.components
        let maxTime = String(Double(seconds) + Double(attoseconds) / 1e18)
        let process = try ChildProcess(
            [
                "curl", "-sS", "--noproxy", "*", "--max-time", maxTime,
                "-D", directory.path("head"), "-o", directory.path("body"),
            ]
                + (unixSocket.map { ["--unix-socket", $0] } ?? []) + arguments)
        let status = try process.waitForExit(timeout: timeout + .seconds(5))
        guard case .exited(let exitCode) = status else {
            throw SupportError.unavailable("curl \(status)")
        }
        let head = (try? String(contentsOfFile: directory.path("head"), encoding: .utf8)) ?? ""
        let (code, headers) = lastResponseHead(head)
        let body =
            (try? Array(Data(contentsOf: URL(fileURLWithPath: directory.path("body"))))) ?? []
        return CurlResult(
            exitCode: exitCode, status: code, headers: headers, body: body,
            standardError: process.standardError)
    }

    /// The status and fields of the last head in a `--dump-header` file (which holds every
    /// head curl saw: 1xx, redirects followed, the final one).
    private static func lastResponseHead(_ dump: String) -> (Int?, [(name: String, value: String)])
    {
        let lines = dump.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.lastIndex(where: { $0.hasPrefix("HTTP/") }) else {
            return (nil, [])
        }
        let status = lines[start].split(separator: " ").dropFirst().first.flatMap { Int($0) }
        let headers = lines[(start + 1)...].prefix { !$0.isEmpty }.compactMap { line in
            line.firstIndex(of: ":").map { colon in
                (
                    name: String(line[..<colon]),
                    value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                )
            }
        }
        return (status, headers)
    }
}
