import Foundation
import Glibc

/// A sidecar for the open-file cache tests: `asset-sidecar --listen PATH --listen
/// metrics=PATH --root ROOT ARGUMENTS…` (the root may be a symbolic link, unlike a
/// ``TempSite``'s), with what `/proc` says about the files it holds open.
final class CacheSidecar {
    let process: SidecarProcess

    /// Starts serving `root` with `arguments`; returns once both sockets accept.
    init(root: String, _ arguments: [String]) throws {
        process = try SidecarProcess(
            ["--root", root] + arguments, sockets: .listen([nil, "metrics"]))
    }

    var pid: pid_t { process.pid }

    /// A new connection to the files socket.
    func connect() throws -> UnixHTTPClient {
        try process.connect(socket: 0)
    }

    /// One scrape of the metrics page.
    func metrics() throws -> MetricsSample {
        let response = try process.connect(socket: 1).get("/metrics")
        guard response.status == 200 else {
            throw SupportError.unavailable("metrics page: status \(response.status)")
        }
        return try MetricsSample(text: response.text)
    }

    /// The targets of the process's descriptors (`readlink` of `/proc/PID/fd/*`), e.g.
    /// `/tmp/x/app.js (deleted)`.
    func descriptorTargets() throws -> [String] {
        let directory = "/proc/\(pid)/fd"
        return try FileManager.default.contentsOfDirectory(atPath: directory).compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + $0)
        }
    }

    /// Descriptors of files that were deleted or renamed over while open.
    func deletedDescriptors() throws -> Int {
        try descriptorTargets().filter { $0.hasSuffix(" (deleted)") }.count
    }

    /// Descriptors whose target lies under `directory`.
    func descriptors(under directory: String) throws -> Int {
        try descriptorTargets().filter { $0.hasPrefix(directory + "/") }.count
    }
}
