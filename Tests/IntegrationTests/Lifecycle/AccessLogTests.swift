import Glibc
import Testing

/// The access log (behaviour §7.1): with `--access-log`, one line on stderr per request — method,
/// target, status, bytes, time — with a journald priority prefix, and nothing a client sends
/// can start a line of its own.
@Suite("Access log")
struct AccessLogTests {
    /// behaviour §7.1: one line per request, in order (one loop), each naming its method, target,
    /// status and at least the body's bytes, with a time and an outcome.
    @Test func oneLinePerRequest() throws {
        let site = try TempSite()
        let body = try site.writeRandom("a.bin", count: 5000)
        let sidecar = try SupervisedSidecar(site, arguments: ["--access-log", "--threads", "1"])
        try sidecar.start()
        let client = try sidecar.connect()
        #expect(try client.get("/a.bin").body == body)
        #expect(try client.get("/a.bin", method: "HEAD").status == 200)
        #expect(try client.get("/missing.txt?x=1").status == 404)
        #expect(try client.get("/a.bin", ["Range: bytes=0-99"]).status == 206)

        let lines = try Self.accessLines(of: sidecar, untilOneContains: "/a.bin 206 ")
            .filter { !$0.hasPrefix("<6>HEAD / ") }
        #expect(lines.count == 4, "\(lines)")
        guard lines.count == 4 else { return }
        let entries = lines.map(AccessEntry.init)
        #expect(entries.map(\.method) == ["GET", "HEAD", "GET", "GET"])
        #expect(entries.map(\.target) == ["/a.bin", "/a.bin", "/missing.txt?x=1", "/a.bin"])
        #expect(entries.map(\.status) == [200, 200, 404, 206])
        #expect((entries[0].bytes ?? 0) > Int64(body.count), "\(lines[0])")
        #expect((entries[1].bytes ?? 0) > 0, "\(lines[1])")
        #expect((entries[1].bytes ?? .max) < Int64(body.count), "HEAD sent no body: \(lines[1])")
        #expect((entries[3].bytes ?? 0) > 100, "\(lines[3])")
        for entry in entries {
            #expect(entry.microseconds != nil, "\(entry.line)")
            #expect(entry.fields["end"] == "ok", "\(entry.line)")
        }
    }

    /// behaviour §7.1: a target carrying an encoded or raw line break, escape sequences or other
    /// control bytes cannot forge a log line: every line the sidecar writes starts with its
    /// `<N>` priority prefix, no line is an access line for the forged path, and stderr holds
    /// no control byte but the line ends.
    @Test func controlBytesCannotForgeLines() throws {
        let site = try TempSite()
        try site.write("a.txt", text: "a\n")
        let sidecar = try SupervisedSidecar(site, arguments: ["--access-log", "--threads", "1"])
        try sidecar.start()
        let forged = "<6>GET /forged 200 bytes=1 us=1 end=ok"
        let encoded = forged.replacingOccurrences(of: " ", with: "%20")
        let underscored = forged.replacingOccurrences(of: " ", with: "_")
        let targets: [[UInt8]] = [
            Array("/a.txt%0a\(encoded)".utf8),
            Array("/a.txt?q=%0d%0a\(encoded)".utf8),
            Array("/a.txt\r\(forged)".utf8),
            Array("/a.txt\u{1b}[2K\u{1b}[1A\(underscored)".utf8),
            Array("/a\u{7f}\u{08}\u{08}forged".utf8),
            Array("/caf".utf8) + [0xc3, 0xa9, 0x0b, 0x0c] + Array("forged".utf8),
        ]
        let attempts = targets.map { Array("GET ".utf8) + $0 + Array(" HTTP/1.1".utf8) }
        for attempt in attempts {
            let client = try sidecar.connect()
            let fields = "\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            try client.send(attempt + Array(fields.utf8))
            // Whatever the answer (400 or 200), the connection ends.
            _ = try client.readUntilClosed()
        }
        #expect(try sidecar.get("/sentinel").status == 404)
        let lines = try Self.accessLines(of: sidecar, untilOneContains: "/sentinel 404 ")

        let own = Self.sidecarLines(sidecar.sidecar.standardError)
        for line in own {
            #expect(line.first == "<" && line.dropFirst().first?.isNumber == true, "\(line)")
            #expect(!line.hasPrefix("<6>GET /forged"), "forged line: \(line)")
            let printable = line.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7f }
            #expect(printable, "control byte in \(line.debugDescription)")
        }
        #expect(!lines.contains { AccessEntry($0).target == "/forged" }, "\(lines)")
    }

    /// behaviour §7.1 ("one line per request"): a request the server rejects is a request too — an
    /// encoded line break or NUL in the target, a malformed header line, a bare CR — and
    /// gets its line with status 400, as nginx logs its 400s: the requests an operator most
    /// wants to see.
    @Test func rejectedRequestsAreLoggedToo() throws {
        let sidecar = try SupervisedSidecar(
            TempSite(), arguments: ["--access-log", "--threads", "1"])
        try sidecar.start()
        let rejected = [
            "GET /a.txt%0aforged HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /a%00b HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /a.txt HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n\r\n",
            "GET /a.txt HTTP/1.1\r\nHost: local\rhost\r\n\r\n",
        ]
        for request in rejected {
            let client = try sidecar.connect()
            try client.send(request)
            #expect(try client.readResponse().status == 400, "\(request.debugDescription)")
        }
        #expect(try sidecar.get("/sentinel").status == 404)
        let lines = try Self.accessLines(of: sidecar, untilOneContains: "/sentinel 404 ")
        let logged = Self.sidecarLines(sidecar.sidecar.standardError).filter {
            AccessEntry($0).status == 400
        }
        #expect(logged.count == rejected.count, "access lines: \(lines)")
    }

    /// One parsed access line: `<6>METHOD TARGET STATUS bytes=N us=T end=OUTCOME …`.
    private struct AccessEntry {
        let line: String
        let method: String
        let target: String
        let status: Int?
        let fields: [String: String]

        init(_ line: String) {
            self.line = line
            let words = line.dropFirst(3).split(separator: " ").map(String.init)
            method = words.first ?? ""
            target = words.count > 1 ? words[1] : ""
            status = words.count > 2 ? Int(words[2]) : nil
            var fields: [String: String] = [:]
            for word in words.dropFirst(3) {
                guard let equals = word.firstIndex(of: "=") else { continue }
                fields[String(word[..<equals])] = String(word[word.index(after: equals)...])
            }
            self.fields = fields
        }

        var bytes: Int64? { fields["bytes"].flatMap { Int64($0) } }
        var microseconds: Int64? { fields["us"].flatMap { Int64($0) } }
    }

    /// The sidecar's own stderr lines: those after the activator's `Execing …` line.
    private static func sidecarLines(_ standardError: String) -> [String] {
        let lines = standardError.split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        guard let exec = lines.firstIndex(where: { $0.hasPrefix("Execing ") }) else { return [] }
        return lines[(exec + 1)...].filter { !$0.isEmpty }
    }

    /// The access lines (`<6>` and a method) written so far, once one contains `marker`.
    private static func accessLines(of sidecar: SupervisedSidecar, untilOneContains marker: String)
        throws -> [String]
    {
        var lines: [String] = []
        try BoundedWait.until("access line with \(marker)") {
            lines = sidecarLines(sidecar.sidecar.standardError).filter {
                $0.hasPrefix("<6>GET ") || $0.hasPrefix("<6>HEAD ")
            }
            return lines.contains { $0.contains(marker) }
        }
        return lines
    }
}
