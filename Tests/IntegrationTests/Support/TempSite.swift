import Foundation
import Glibc

/// A temporary document root holding files of chosen bytes; removed when it goes away.
final class TempSite {
    private let directory: TempDirectory

    /// The document root's absolute path (pass it to `--root`).
    var root: String { directory.path }

    /// Creates an empty document root.
    init() throws {
        directory = try TempDirectory(prefix: "asset-sidecar-site")
    }

    /// The absolute path of `relativePath` inside the root.
    func path(_ relativePath: String) -> String {
        directory.path(relativePath)
    }

    /// Writes a file (creating the directories above it) and returns its bytes.
    @discardableResult
    func write(_ relativePath: String, _ bytes: [UInt8]) throws -> [UInt8] {
        let url = URL(fileURLWithPath: path(relativePath))
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return bytes
    }

    /// Writes a text file as UTF-8 and returns its bytes.
    @discardableResult
    func write(_ relativePath: String, text: String) throws -> [UInt8] {
        try write(relativePath, Array(text.utf8))
    }

    /// Writes `count` deterministic pseudo-random bytes and returns them.
    @discardableResult
    func writeRandom(_ relativePath: String, count: Int, seed: UInt64 = 1) throws -> [UInt8] {
        try write(relativePath, SeededBytes.make(count: count, seed: seed))
    }

    /// Creates a directory (and the ones above it).
    func makeDirectory(_ relativePath: String) throws {
        try FileManager.default.createDirectory(
            atPath: path(relativePath), withIntermediateDirectories: true)
    }

    /// Creates a symbolic link at `relativePath` whose content is `target`, verbatim.
    func symlink(_ relativePath: String, to target: String) throws {
        try SupportError.check(Glibc.symlink(target, path(relativePath)), "symlink")
    }
}
