import Foundation
import Glibc
import Testing

/// The document root and the two sidecars one conformance suite talks to.
///
/// The `.conformanceSite` suite trait builds it once per suite (not per case): a temporary
/// root laid out by ``ConformanceLayout`` (every file with a fixed modification time in 2023, so
/// its ETag is strong and its Last-Modified known), one sidecar started with `--root ROOT`
/// only, and a second one on the same root with ``alternateArguments``. Cases reach it through
/// the task-local ``current``; they run in parallel, so a case that changes the root uses
/// names of its own.
struct ConformanceSite: Sendable {
    /// The site of the suite being run, set by ``ConformanceScope``.
    @TaskLocal static var current: ConformanceSite?

    /// The second sidecar's options: every non-default policy the suites check.
    static let alternateArguments = [
        "--dotfiles", "allow",
        "--mime-type", "md=text/markdown",
        "--cache-control", "*.html=no-cache",
        "--cache-control", "/static/**=public, max-age=3600",
        "--max-ranges", "2",
    ]

    /// The modification time of every fixed file, and the same instant as the three
    /// HTTP-date formats of RFC 9110 §5.6.7, with the seconds before and after it.
    static let mtime = TempSite.pastModificationTime
    static let lastModified = TempSite.pastModificationDate
    static let secondBefore = "Tue, 14 Nov 2023 22:13:19 GMT"
    static let secondAfter = "Tue, 14 Nov 2023 22:13:21 GMT"
    static let lastModifiedRFC850 = "Tuesday, 14-Nov-23 22:13:20 GMT"
    static let secondBeforeRFC850 = "Tuesday, 14-Nov-23 22:13:19 GMT"
    static let lastModifiedAsctime = "Tue Nov 14 22:13:20 2023"
    static let secondBeforeAsctime = "Tue Nov 14 22:13:19 2023"

    /// The document root's absolute path.
    let root: String
    /// The socket of the sidecar started with `--root ROOT` alone.
    let socket: String
    /// The socket of the sidecar started with `--root ROOT` and ``alternateArguments``.
    let alternateSocket: String
    /// The bytes of every fixed file, by path relative to the root.
    let files: [String: [UInt8]]

    /// The running suite's site; throws when the suite lacks the `.conformanceSite` trait.
    static func get() throws -> ConformanceSite {
        guard let current else {
            throw SupportError.unavailable("no conformance site: the suite needs .conformanceSite")
        }
        return current
    }

    /// The bytes of the fixed file at `path` (relative, no leading `/`).
    func bytes(_ path: String) -> [UInt8] {
        guard let bytes = files[path] else { preconditionFailure("no fixed file \(path)") }
        return bytes
    }

    /// The absolute path of `relativePath`.
    func path(_ relativePath: String) -> String {
        "\(root)/\(relativePath)"
    }

    /// Writes `bytes` to `relativePath` (directories created) with `write(2)` on the existing
    /// inode if there is one, as an in-place rewrite does; returns the bytes.
    @discardableResult
    func write(_ relativePath: String, _ bytes: [UInt8]) throws -> [UInt8] {
        let url = URL(fileURLWithPath: path(relativePath))
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = try SupportError.check(
            open(path(relativePath), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644),
            "open \(relativePath)")
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let count = bytes[done...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            try SupportError.check(count, "write \(relativePath)")
            done += count
        }
        return bytes
    }

    /// Sets the modification time of `relativePath` to ``mtime`` (settled: a strong ETag).
    func settle(_ relativePath: String) throws {
        var times = [
            timespec(tv_sec: Self.mtime, tv_nsec: 0), timespec(tv_sec: Self.mtime, tv_nsec: 0),
        ]
        try SupportError.check(
            utimensat(AT_FDCWD, path(relativePath), &times, 0), "utimensat \(relativePath)")
    }

    /// Removes `relativePath`.
    func remove(_ relativePath: String) throws {
        try SupportError.check(unlink(path(relativePath)), "unlink \(relativePath)")
    }

    /// Waits (bounded) until the clock that stamps files has moved past the modification time
    /// of `relativePath`, so that the next change to it gives it a different one: Linux takes
    /// file times from a coarse clock that ticks only every few milliseconds.
    func waitForNextTimestamp(after relativePath: String) throws {
        let info = try fileStatus(relativePath)
        let stamp = (info.st_mtim.tv_sec, info.st_mtim.tv_nsec)
        try BoundedWait.until("the clock passes the mtime of \(relativePath)", timeout: .seconds(5))
        {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME_COARSE, &now)
            return (now.tv_sec, now.tv_nsec) > stamp
        }
    }

    /// `lstat(2)` of `relativePath`.
    func fileStatus(_ relativePath: String) throws -> stat {
        var info = Glibc.stat()
        try SupportError.check(lstat(path(relativePath), &info), "lstat \(relativePath)")
        return info
    }
}

/// The suite trait that gives a suite its ``ConformanceSite``: one root and two sidecars for
/// all of the suite's cases, torn down (processes killed, files removed) when it ends.
struct ConformanceScope: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let site = try TempSite()
        let files = try ConformanceLayout.populate(site)
        let plain = try SupervisedSidecar(site)
        let alternate = try SupervisedSidecar(site, arguments: ConformanceSite.alternateArguments)
        let value = ConformanceSite(
            root: site.root, socket: plain.sidecar.socketPath,
            alternateSocket: alternate.sidecar.socketPath, files: files)
        try await ConformanceSite.$current.withValue(value) {
            try await function()
        }
        withExtendedLifetime((site, plain, alternate)) {}
    }
}

extension Trait where Self == ConformanceScope {
    /// One ``ConformanceSite`` (root and two sidecars) for the whole suite.
    static var conformanceSite: Self { ConformanceScope() }
}

/// The files of a conformance site. Text files are ASCII; the bytes of the precompressed
/// variants are arbitrary (the server never decodes them) and of distinct sizes, so a body
/// and a `Content-Range` total show which variant was sent.
enum ConformanceLayout {
    /// The file every exchange pipelines a `HEAD` for, to prove the response before it was
    /// framed exactly (six bytes: no other file has that length).
    static let probe = "probe.txt"
    static let probeLength = 6

    /// The extensions of `types/f.EXT` and the exact `Content-Type` each must get from the
    /// built-in table (behaviour §4.2).
    static let contentTypes: [(ext: String, type: String)] = [
        ("html", "text/html; charset=utf-8"),
        ("htm", "text/html; charset=utf-8"),
        ("css", "text/css; charset=utf-8"),
        ("js", "text/javascript; charset=utf-8"),
        ("mjs", "text/javascript; charset=utf-8"),
        ("json", "application/json; charset=utf-8"),
        ("map", "application/json; charset=utf-8"),
        ("svg", "image/svg+xml; charset=utf-8"),
        ("wasm", "application/wasm"),
        ("png", "image/png"),
        ("jpg", "image/jpeg"),
        ("jpeg", "image/jpeg"),
        ("gif", "image/gif"),
        ("webp", "image/webp"),
        ("avif", "image/avif"),
        ("ico", "image/x-icon"),
        ("woff", "font/woff"),
        ("woff2", "font/woff2"),
        ("ttf", "font/ttf"),
        ("otf", "font/otf"),
        ("mp4", "video/mp4"),
        ("webm", "video/webm"),
        ("mp3", "audio/mpeg"),
        ("ogg", "audio/ogg"),
        ("pdf", "application/pdf"),
        ("txt", "text/plain; charset=utf-8"),
        ("xml", "application/xml; charset=utf-8"),
        ("csv", "text/csv; charset=utf-8"),
        ("zip", "application/zip"),
        ("gz", "application/gzip"),
        ("md", "text/markdown; charset=utf-8"),
        ("PNG", "image/png"),
        ("Html", "text/html; charset=utf-8"),
        ("unknownext", "application/octet-stream"),
    ]

    /// Writes the layout into `site`, sets every file's modification time to
    /// ``ConformanceSite/mtime``, and returns the files' bytes by relative path.
    static func populate(_ site: TempSite) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        func add(_ path: String, _ bytes: [UInt8]) throws {
            files[path] = try site.write(path, bytes)
        }
        func add(_ path: String, text: String) throws {
            try add(path, Array(text.utf8))
        }
        try add(probe, text: "probe\n")
        try add("index.html", text: "<!doctype html><title>home</title>\n")
        try add("dir/index.html", text: "<!doctype html><title>dir</title><p>index</p>\n")
        try add("dir/page.txt", text: "a page in dir\n")
        try add("nested/sub/index.html", text: "<!doctype html><p>nested</p>\n")
        try add("noindex/file.txt", text: "no index here\n")
        // §3.2: hidden names, and what /.well-known/ may show.
        try add(".env", text: "DOTFILE-SECRET=1\n")
        try add("a/.git/config", text: "[core] DOTFILE-SECRET\n")
        try add(".git/HEAD", text: "ref: DOTFILE-SECRET\n")
        try add(".well-known/x", text: "well-known x\n")
        try add(".well-known/.hidden", text: "DOTFILE-SECRET in well-known\n")
        // §4.2: one file per extension, and one without any.
        for (index, entry) in contentTypes.enumerated() {
            try add("types/f.\(entry.ext)", text: "type \(index)\n")
        }
        try add("types/noext", text: "no extension\n")
        // §5: ranges and multipart.
        try add("r.bin", SeededBytes.make(count: 1000, seed: 11))
        try add("big.txt", text: textBytes(count: 10_000))
        try add("empty.bin", [])
        // §4.3: a resource with all three variants, one with gzip only, one with none.
        try add("enc/all.js", text: textBytes(count: 2000))
        try add("enc/all.js.br", SeededBytes.make(count: 300, seed: 21))
        try add("enc/all.js.zst", SeededBytes.make(count: 350, seed: 22))
        try add("enc/all.js.gz", SeededBytes.make(count: 400, seed: 23))
        try add("enc/gz.css", text: textBytes(count: 1500))
        try add("enc/gz.css.gz", SeededBytes.make(count: 450, seed: 24))
        try add("enc/plain.js", text: textBytes(count: 1200))
        // §4.4: content-hashed names, plain names, a /static/ tree.
        try add("app.3f9a1c2b.js", text: "hashed hex\n")
        try add("index-BXk7Wq2N.js", text: "hashed vite\n")
        try add("app.js", text: "not hashed\n")
        try add("page.html", text: "<p>page</p>\n")
        try add("static/app.js", text: "static app\n")
        try add("static/page.html", text: "<p>static page</p>\n")
        try add("static/app.3f9a1c2b.js", text: "static hashed\n")
        for path in files.keys {
            try site.setModificationTime(path)
        }
        // §3.3: special files.
        try site.makeFIFO("fifo")
        try site.makeSocketFile("socket")
        return files
    }

    /// `count` bytes of printable ASCII lines that differ from offset to offset.
    static func textBytes(count: Int) -> String {
        var text = ""
        var line = 0
        while text.utf8.count < count {
            text += "line \(line) of the sample text, \(line * 7919 % 10007)\n"
            line += 1
        }
        return String(decoding: text.utf8.prefix(count), as: UTF8.self)
    }
}
