import Foundation
import Testing

/// Several event loops serving several clients at once.
@Suite("Concurrent clients on several threads")
struct ThreadedLoadTests {
    /// behaviour §2.6, §6.1: with `--threads 2`, 8 clients on their own threads make 50
    /// keep-alive requests each (whole files and ranges of several sizes) and every response
    /// is byte-exact.
    @Test func concurrentClientsGetExactBytes() throws {
        let site = try TempSite()
        var files: [[UInt8]] = []
        for (index, size) in [100, 20_000, 300_000, 1_500_000].enumerated() {
            files.append(try site.writeRandom("f\(index).bin", count: size, seed: UInt64(index)))
        }
        let served = try SupervisedSidecar(site, arguments: ["--threads", "2"])
        try served.start()
        let socket = served.sidecar.socketPath
        let contents = files

        let clients = 8
        let failures = FailureLog()
        let finished = DispatchSemaphore(value: 0)
        for client in 0..<clients {
            let thread = Thread {
                defer { finished.signal() }
                do {
                    try Self.run(client: client, socket: socket, files: contents, failures)
                } catch {
                    failures.add("client \(client): \(error)")
                }
            }
            thread.start()
        }
        for _ in 0..<clients {
            #expect(finished.wait(timeout: .now() + 60) == .success, "a client hung")
        }
        #expect(failures.messages.isEmpty, "\(failures.messages.prefix(10))")
        #expect(served.sidecar.exitStatus() == nil)
    }

    /// One client's 50 requests; mismatches go to `failures`.
    private static func run(
        client: Int, socket: String, files: [[UInt8]], _ failures: FailureLog
    ) throws {
        let connection = try UnixHTTPClient(path: socket)
        for request in 0..<50 {
            let index = (client + request) % files.count
            let file = files[index]
            let label = "client \(client) request \(request) f\(index).bin"
            if request % 3 == 2 {
                let first = (request * 7919) % file.count
                let last = min(file.count - 1, first + request * 101)
                let response = try connection.get(
                    "/f\(index).bin", ["Range: bytes=\(first)-\(last)"])
                if response.status != 206 || response.body != Array(file[first...last]) {
                    failures.add("\(label): range \(first)-\(last) got \(response.status)")
                }
            } else {
                let response = try connection.get("/f\(index).bin")
                if response.status != 200
                    || ByteComparison.firstDifference(response.body, file) != nil
                {
                    failures.add(
                        "\(label): \(response.status) \(ByteComparison.describe(response.body, file))"
                    )
                }
            }
        }
    }
}

/// Failure messages collected from several threads.
private final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func add(_ message: String) {
        lock.lock()
        stored.append(message)
        lock.unlock()
    }

    var messages: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
