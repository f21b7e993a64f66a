import Foundation
import Glibc
import Logging
import Loop
import Sendfile
import Testing

/// The ordering a loop attachment relies on (``LoopAttachment``): something made readable
/// before a request is sent is read by the attachment before that request reaches its session.
/// A real loop on its own thread, a real listening Unix socket and a pipe standing in for the
/// inotify descriptor; no sleeps, so a loop that dispatched connections first would fail.
@Suite struct AttachmentOrderTests {
    /// Counts the bytes written to its pipe, as change notifications would be counted.
    final class Changes: LoopAttachment {
        let descriptor: Int32?
        private(set) var seen = 0
        private(set) var turns = 0

        init(_ descriptor: Int32) { self.descriptor = descriptor }

        func readable() {
            var buffer = [UInt8](repeating: 0, count: 256)
            while let descriptor, case let count = read(descriptor, &buffer, buffer.count),
                count > 0
            {
                seen += count
            }
        }

        func turnBegins(now: Int64) { turns += 1 }
    }

    /// Serves every connection with ``Session``.
    final class Handler: ConnectionHandler {
        let changes: Changes
        init(_ changes: Changes) { self.changes = changes }
        func makeSession() -> any ConnectionSession { Session(changes) }
        func reload() {}
        var attachment: (any LoopAttachment)? { changes }
    }

    /// Answers each newline-terminated request with the number of changes seen when it was
    /// parsed, and the number of turns begun, as `CHANGES TURNS\n`.
    final class Session: ConnectionSession {
        let changes: Changes
        init(_ changes: Changes) { self.changes = changes }

        func receive(
            _ bytes: UnsafeRawBufferPointer, full: Bool, moment: LoopMoment,
            into transfer: inout Transfer
        ) -> Reception {
            guard let end = bytes.firstIndex(of: 10) else { return .incomplete }
            transfer.append(.bytes(Array("\(changes.seen) \(changes.turns)\n".utf8)))
            return .respond(consumed: end + 1, then: .next)
        }

        func headerTimedOut(
            _ bytes: UnsafeRawBufferPointer, moment: LoopMoment, into transfer: inout Transfer
        ) {}

        func responseEnded(_ ending: ResponseEnding, bytesSent: Int64, closing: CloseReason?) {}
    }

    /// Fills a `sockaddr_un` for `path` and calls `body` with it.
    static func withAddress<T>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T)
        -> T
    {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    /// Reads one `\n`-terminated line from the blocking `socket` (bounded by its timeout).
    static func readLine(_ socket: Int32) -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        for _ in 0..<64 {
            guard recv(socket, &byte, 1, 0) == 1 else { return nil }
            if byte == 10 { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return nil
    }

    @Test func aChangeMadeBeforeARequestIsReadBeforeItsSessionSeesIt() throws {
        let path = NSTemporaryDirectory() + "attachment-\(UUID().uuidString).sock"
        defer { unlink(path) }
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        try #require(Self.withAddress(path) { bind(listener, $0, $1) } == 0)
        try #require(listen(listener, 16) == 0)
        var pipeEnds: [Int32] = [0, 0]
        try #require(pipe(&pipeEnds) == 0)
        try #require(fcntl(pipeEnds[0], F_SETFL, O_NONBLOCK) == 0)
        defer {
            close(pipeEnds[0])
            close(pipeEnds[1])
        }

        let control = try LoopControl()
        let settings = LoopSettings(
            headerTimeout: 10_000, idleTimeout: 10_000, sendTimeout: 10_000, discardTimeout: 1000,
            lingerBytes: 4096, sendChunk: 1 << 20,
            bufferLimit: 4096, capacity: 16, heartbeat: 1000)
        let loop = try EventLoop(
            settings: settings, listeners: [Listener(descriptor: listener, name: "test")],
            handlers: [Handler(Changes(pipeEnds[0]))], control: control, stats: LoopStats(),
            logger: Logger(label: "attachment-test"))
        nonisolated(unsafe) let owned = loop
        try LoopThread.start(name: "loop-test") { owned.run() }

        let client = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(client >= 0)
        defer { close(client) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        try #require(Self.withAddress(path) { connect(client, $0, $1) } == 0)

        var stale = 0
        var turnsSeen: Set<String> = []
        for round in 1...2000 {
            var byte: UInt8 = 1
            try #require(write(pipeEnds[1], &byte, 1) == 1)
            try #require(send(client, "r\n", 2, 0) == 2)
            let answer = try #require(Self.readLine(client))
            let fields = answer.split(separator: " ")
            if fields.first != "\(round)"[...] { stale += 1 }
            turnsSeen.insert(String(fields.last ?? ""))
        }
        #expect(stale == 0)
        #expect(turnsSeen.count > 1, "turnBegins was not called on every turn")

        control.drain()
        shutdown(client, Int32(SHUT_WR))
        let deadline = Date().addingTimeInterval(10)
        var finished = false
        while !finished && Date() < deadline {
            finished = control.finished.load(ordering: .acquiring)
            if !finished { _ = poll(nil, 0, 5) }
        }
        #expect(finished, "the loop did not finish draining")
    }
}
