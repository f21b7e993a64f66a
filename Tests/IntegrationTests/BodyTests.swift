import Foundation
import Testing

/// Whole-file responses: the bytes, HEAD, and the header fields of every 200.
@Suite("Bodies and header fields")
struct BodyTests {
    /// behaviour §3.4, §6.1: GET answers every byte of the file, whatever its size (empty, around
    /// page and buffer boundaries, odd sizes), over one keep-alive connection.
    @Test func fullBodiesAreByteIdentical() throws {
        let sizes = [
            0, 1, 7, 1023, 1024, 1025, 4095, 4096, 4097, 65_535, 65_537, 1 << 20, (1 << 20) + 3,
            3_000_001,
        ]
        let site = try TempSite()
        var files: [(name: String, bytes: [UInt8])] = []
        for (index, size) in sizes.enumerated() {
            let name = "file-\(size).bin"
            files.append((name, try site.writeRandom(name, count: size, seed: UInt64(index + 1))))
        }
        let served = try SupervisedSidecar(site)
        let client = try served.connect()
        for (name, bytes) in files {
            let response = try client.get("/\(name)")
            #expect(response.status == 200, "\(name)")
            #expect(response.header("Content-Length") == String(bytes.count), "\(name)")
            #expect(
                ByteComparison.firstDifference(response.body, bytes) == nil,
                "\(name): \(ByteComparison.describe(response.body, bytes))")
        }
    }

    /// behaviour §2.2: HEAD answers exactly the header fields a GET would (Date aside, which may
    /// tick between the two), Content-Length of the whole file included, and no body: the
    /// next response on the connection starts right after the head.
    @Test(arguments: ["page.html", "empty.txt", "data.bin"])
    func headHasTheHeadersOfGetAndNoBody(name: String) throws {
        let site = try TempSite()
        try site.write("page.html", text: "<!doctype html><title>x</title>\n")
        try site.write("empty.txt", [])
        try site.writeRandom("data.bin", count: 100_000)
        for file in ["page.html", "empty.txt", "data.bin"] {
            try site.setModificationTime(file)
        }
        let served = try SupervisedSidecar(site)
        let client = try served.connect()

        let get = try client.get("/\(name)")
        let head = try client.get("/\(name)", method: "HEAD")
        #expect(head.status == get.status)
        #expect(head.body.isEmpty)
        let withoutDate = { (response: HTTPResponse) in
            response.headers.filter { $0.name.lowercased() != "date" }.map {
                "\($0.name.lowercased()): \($0.value)"
            }
        }
        #expect(withoutDate(head) == withoutDate(get))
        #expect(head.header("Content-Length") == String(get.body.count))
        // Nothing was sent after the HEAD's head: the connection still frames correctly.
        #expect(try client.get("/\(name)").body == get.body)
    }

    /// behaviour §4.1: a 200 carries Date (IMF-fixdate), Content-Length, Content-Type,
    /// Last-Modified (the file's mtime as IMF-fixdate), a strong ETag and
    /// `Accept-Ranges: bytes`.
    @Test func successfulResponseCarriesTheRequiredFields() throws {
        let site = try TempSite()
        let bytes = try site.writeRandom("a.bin", count: 1234)
        try site.setModificationTime("a.bin")
        let served = try SupervisedSidecar(site)

        let response = try served.get("/a.bin")
        #expect(response.status == 200)
        #expect(response.body == bytes)
        let date = try #require(response.header("Date"))
        #expect(HTTPDateFormat.isIMFFixdate(date), "Date: \(date)")
        #expect(response.header("Content-Length") == "1234")
        #expect(response.header("Content-Type") == "application/octet-stream")
        #expect(response.header("Last-Modified") == TempSite.pastModificationDate)
        let etag = try #require(response.header("ETag"))
        #expect(Self.isStrongEntityTag(etag), "ETag: \(etag)")
        #expect(response.header("Accept-Ranges") == "bytes")
        for name in ["Date", "Content-Length", "Content-Type", "Last-Modified", "ETag"] {
            #expect(response.headers(named: name).count == 1, "one \(name) field")
        }
    }

    /// behaviour §4.1: the ETag is a validator of this file: stable across requests, different for
    /// another file of the same size and time.
    @Test func entityTagsIdentifyFiles() throws {
        let site = try TempSite()
        try site.writeRandom("one.bin", count: 500, seed: 1)
        try site.writeRandom("two.bin", count: 500, seed: 2)
        try site.setModificationTime("one.bin")
        try site.setModificationTime("two.bin")
        let served = try SupervisedSidecar(site)
        let client = try served.connect()
        let first = try client.get("/one.bin").header("ETag")
        let again = try client.get("/one.bin").header("ETag")
        let other = try client.get("/two.bin").header("ETag")
        #expect(first != nil)
        #expect(first == again)
        #expect(first != other)
    }

    /// behaviour §3.5, §4.1: a file replaced by rename is served new on the next request, with a
    /// new ETag, even on the same keep-alive connection (whatever is cached).
    @Test func fileReplacedByRenameIsServedNew() throws {
        let site = try TempSite()
        let old = try site.write("app.js", text: "console.log('old')\n")
        try site.setModificationTime("app.js")
        let served = try SupervisedSidecar(site)
        let client = try served.connect()
        let before = try client.get("/app.js")
        #expect(before.body == old)
        _ = try client.get("/app.js")

        let new = Array("console.log('new, and longer')\n".utf8)
        try site.replaceByRename("app.js", new)
        try site.setModificationTime("app.js", seconds: TempSite.pastModificationTime + 60)
        let after = try client.get("/app.js")
        #expect(after.status == 200)
        #expect(after.body == new)
        #expect(after.header("Content-Length") == String(new.count))
        #expect(after.header("ETag") != before.header("ETag"))
        #expect(try served.get("/app.js").body == new)
    }

    /// behaviour §4.2 (the types named in §4.1's scope): text types carry `charset=utf-8`, `.mjs`
    /// is JavaScript, `.wasm` is `application/wasm`, and an unknown or missing extension is
    /// `application/octet-stream`.
    @Test(arguments: [
        ("index.html", "text/html; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("module.mjs", "text/javascript"),
        ("code.wasm", "application/wasm"),
        ("blob.qqzx", "application/octet-stream"),
        ("README", "application/octet-stream"),
    ])
    func contentTypeFollowsTheExtension(name: String, expected: String) throws {
        let site = try TempSite()
        try site.write(name, text: "x")
        let served = try SupervisedSidecar(site)
        let response = try served.get("/\(name)")
        #expect(response.status == 200)
        let type = try #require(response.header("Content-Type"))
        if expected.contains(";") {
            #expect(type == expected)
        } else {
            let mediaType = type.split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            #expect(mediaType == expected, "Content-Type: \(type)")
        }
    }

    /// behaviour §4.1: error responses also carry Date and Content-Length, and a short body.
    @Test func errorResponsesCarryDateAndContentLength() throws {
        let served = try SupervisedSidecar(TempSite())
        let response = try served.get("/missing.txt")
        #expect(response.status == 404)
        #expect(response.header("Date").map(HTTPDateFormat.isIMFFixdate) == true)
        #expect(response.header("Content-Length") == String(response.body.count))
        #expect(response.body.count < 200)
    }

    /// `"…"` with no `W/` prefix and only `etagc` characters inside (RFC 9110 §8.8.3).
    static func isStrongEntityTag(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count >= 2, bytes.first == 34, bytes.last == 34 else { return false }
        return bytes.dropFirst().dropLast().allSatisfy { $0 == 0x21 || (0x23...0x7e).contains($0) }
    }
}
