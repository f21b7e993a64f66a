import Foundation
import Glibc
import Testing

@testable import Files

/// The open-file cache: hits only while the file on disk is the one that was opened.
@Suite("FileCache")
struct FileCacheTests {
    /// What the tests cache: an opened file and nothing else.
    final class Entry: CachedFile {
        let file: OpenFile
        var snapshot: FileSnapshot { file.snapshot }

        init(_ file: OpenFile) {
            self.file = file
        }
    }

    let directory: URL
    let root: DocumentRoot

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "file-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        root = try DocumentRoot(path: directory.path, symlinks: .beneath)
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    func open(_ name: String) throws -> Entry {
        guard case .file(let descriptor, let snapshot) = name.withCString({ root.open($0) }) else {
            throw LookupError()
        }
        return Entry(OpenFile(descriptor: descriptor, snapshot: snapshot))
    }

    static func key(_ name: String) -> [UInt8] { Array(name.utf8) + [0] }

    @Test func hitWhileUnchanged() throws {
        try write("a.txt", "one")
        var cache = FileCache<Entry>(capacity: 4)
        let entry = try open("a.txt")
        cache.insert(entry, path: Self.key("a.txt"), root: root)
        #expect(cache.lookup(Self.key("a.txt"), root: root) === entry)
        #expect(cache.lookup(Self.key("b.txt"), root: root) == nil)
    }

    @Test func missOnceReplacedByRename() throws {
        try write("a.txt", "one")
        var cache = FileCache<Entry>(capacity: 4)
        cache.insert(try open("a.txt"), path: Self.key("a.txt"), root: root)
        try write("new.txt", "two!")
        #expect(
            rename(
                directory.appendingPathComponent("new.txt").path,
                directory.appendingPathComponent("a.txt").path) == 0)
        #expect(cache.lookup(Self.key("a.txt"), root: root) == nil)
    }

    @Test func missOnceRemoved() throws {
        try write("a.txt", "one")
        var cache = FileCache<Entry>(capacity: 4)
        cache.insert(try open("a.txt"), path: Self.key("a.txt"), root: root)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("a.txt"))
        #expect(cache.lookup(Self.key("a.txt"), root: root) == nil)
    }

    @Test func capacityBoundsTheEntries() throws {
        var cache = FileCache<Entry>(capacity: 2)
        for name in ["a", "b", "c"] {
            try write(name, name)
            cache.insert(try open(name), path: Self.key(name), root: root)
        }
        let held = ["a", "b", "c"].filter { cache.lookup(Self.key($0), root: root) != nil }
        #expect(held.count == 2)
    }

    @Test func disabledCacheHoldsNothing() throws {
        try write("a.txt", "one")
        var cache = FileCache<Entry>(capacity: 0)
        cache.insert(try open("a.txt"), path: Self.key("a.txt"), root: root)
        #expect(!cache.isEnabled)
        #expect(cache.lookup(Self.key("a.txt"), root: root) == nil)
    }

    @Test func removeAllEmptiesIt() throws {
        try write("a.txt", "one")
        var cache = FileCache<Entry>(capacity: 4)
        cache.insert(try open("a.txt"), path: Self.key("a.txt"), root: root)
        cache.removeAll()
        #expect(cache.lookup(Self.key("a.txt"), root: root) == nil)
    }

    struct LookupError: Error {}
}
