import Files
import Foundation
import HTTP1
import Sendfile
import Serve

/// A document root in a fresh temporary directory and a ``FileResponder`` over it: a request
/// goes in as text, the response comes out as its head and the bytes its segments put on the
/// wire (file ranges read back with `pread`). No socket: the serving stage alone.
final class SiteFixture {
    let directory: URL
    let responder: FileResponder
    let stats = ResponseStats()
    /// The wall-clock second the responses are made at (far after every file's mtime, so
    /// validators are strong).
    var now = Int64(Date().timeIntervalSince1970) + 10

    init(files: [String: [UInt8]], settings: SiteSettings = SiteFixture.settings()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "serve-tests-\(UUID().uuidString)")
        for (path, bytes) in files {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let root = try DocumentRoot(path: directory.path, symlinks: .beneath)
        responder = FileResponder(root: root, settings: settings, stats: stats)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    static func settings(
        cacheControl: [CacheControlRules.Rule] = [], openFileCache: Int = 16,
        dotfiles: DotfilePolicy = .deny
    ) -> SiteSettings {
        SiteSettings(
            dotfiles: dotfiles, mime: MIMETable(), maxRanges: 16,
            cacheControl: CacheControlRules(rules: cacheControl), openFileCache: openFileCache)
    }

    /// What one request got.
    struct Answer {
        var status: Status
        var head: String
        var body: [UInt8]
        var closeAfter: Bool

        /// The value of the first field `name` (case-insensitive), if any.
        func field(_ name: String) -> String? {
            for line in head.components(separatedBy: "\r\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                if line[..<colon].lowercased() == name.lowercased() {
                    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }

        /// How often a field `name` appears.
        func count(_ name: String) -> Int {
            head.components(separatedBy: "\r\n").filter {
                $0.lowercased().hasPrefix(name.lowercased() + ":")
            }.count
        }
    }

    /// Answers `request` (a complete head, CRLF line ends) as the serving stage would.
    func answer(_ request: String) -> Answer {
        var exchange = Exchange()
        var transfer = Transfer()
        let bytes = Array(request.utf8)
        return bytes.withUnsafeBytes { raw in
            guard case .complete(let head) = RequestParser(limits: ParserLimits()).parse(raw) else {
                fatalError("fixture request does not parse: \(request)")
            }
            let context = ResponseContext(
                seconds: now, date: Array("Thu, 01 Jan 1970 00:00:00 GMT".utf8),
                keepAlive: head.keepAlive, version: head.version, sequence: 7)
            responder.respond(
                to: head, in: raw, context: context, exchange: &exchange, transfer: &transfer)
            var wire: [UInt8] = []
            for segment in transfer.segments {
                switch segment {
                case .bytes(let chunk):
                    wire.append(contentsOf: chunk)
                case .file(let descriptor, let offset, let length):
                    var chunk = [UInt8](repeating: 0, count: Int(length))
                    let read = chunk.withUnsafeMutableBytes {
                        pread(descriptor.rawValue, $0.baseAddress, Int(length), off_t(offset))
                    }
                    wire.append(contentsOf: chunk.prefix(max(read, 0)))
                }
            }
            let split = wire.firstRange(of: Array("\r\n\r\n".utf8))!
            return Answer(
                status: exchange.status,
                head: String(decoding: wire[..<split.lowerBound], as: UTF8.self),
                body: Array(wire[split.upperBound...]), closeAfter: exchange.closeAfter)
        }
    }

    /// `GET path` with extra field lines.
    func get(_ path: String, _ fields: String...) -> Answer {
        answer(request("GET", path, fields))
    }

    /// `HEAD path` with extra field lines.
    func head(_ path: String, _ fields: String...) -> Answer {
        answer(request("HEAD", path, fields))
    }

    private func request(_ method: String, _ path: String, _ fields: [String]) -> String {
        "\(method) \(path) HTTP/1.1\r\nHost: test\r\n" + fields.map { $0 + "\r\n" }.joined()
            + "\r\n"
    }
}
