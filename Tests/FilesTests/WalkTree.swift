import CLinux
import Foundation
import Glibc
import HTTP1

@testable import Files

/// A document root `site` in a fresh temporary directory, next to `site-private` (a sibling
/// whose name begins with the root's) and `outside.txt`, holding the files, directories, FIFO
/// and links the lookup tests resolve. Removed with everything in it on deinit.
final class WalkTree {
    /// Why the tree could not be built.
    struct SetupError: Error {
        var call: String
        var code: Int32
    }

    /// The temporary directory holding the root and its siblings.
    let base: String
    /// The document root, `base/site`.
    let rootPath: String
    /// The root opened `O_PATH | O_DIRECTORY`, as `DocumentRoot` opens it.
    let root: Int32

    /// Directories (mode) beneath the root, parents first: `locked` can be listed but not
    /// searched, `noread` searched but not listed.
    static let directories: [(String, mode_t)] = [
        ("sub", 0o755), ("sub/deep", 0o755), ("sibling", 0o755), ("locked", 0o744),
        ("noread", 0o711),
    ]
    /// Regular files beneath the root, created before `locked` and `noread` lose permissions.
    static let files: [(String, mode_t)] = [
        ("file.txt", 0o644), ("sub/inner.txt", 0o644), ("sub/deep/leaf.txt", 0o644),
        ("sibling/s.txt", 0o644), ("locked/hidden.txt", 0o644), ("noread/x.txt", 0o644),
        ("unreadable.txt", 0o000),
    ]
    /// Links beneath the root and their targets; `@` stands for the root's absolute path.
    static let links: [(String, String)] =
        [
            ("l_file", "file.txt"), ("l_sub", "sub"), ("l_deep", "sub/deep"),
            ("l_chain", "sub/deep/../../file.txt"), ("sub/l_up", "../sibling"),
            ("sub/l_parent", ".."), ("sub/deep/l_root", "../../file.txt"),
            ("sub/deep/l_escape", "../../../outside.txt"), ("l_escape", "../outside.txt"),
            ("l_prefix", "../site-private/secret"), ("l_prefix_dir", "../site-private"),
            ("l_abs", "/etc"), ("l_abs_inside", "@/file.txt"), ("l_loop_a", "l_loop_b"),
            ("l_loop_b", "l_loop_a"), ("l_self", "l_self"), ("l_dangling", "nope"),
            ("l_dot", "."), ("l_dotdot", ".."), ("l_fifo", "fifo"), ("l_slash", "sub/"),
            ("l_file_slash", "file.txt/"), ("l_locked", "locked/hidden.txt"),
            ("l_proc", "/proc/self/root"), ("l_to_link", "l_sub/deep/leaf.txt"),
            ("l_nested", "l_deep/../l_up/s.txt"),
            ("sibling/l_back", "../sub/deep/../../sibling/s.txt"),
        ] + (0..<40).map { ("l\($0)", "l\($0 + 1)") } + [("l40", "file.txt")]

    init() throws {
        var template = Array("/tmp/asset-sidecar-walk.XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let created else { throw SetupError(call: "mkdtemp", code: errno) }
        base = String(cString: created)
        rootPath = base + "/site"
        try Self.check(mkdir(rootPath, 0o755), "mkdir site")
        try Self.check(mkdir(base + "/site-private", 0o755), "mkdir site-private")
        try Self.write(base + "/site-private/secret", mode: 0o644)
        try Self.write(base + "/outside.txt", mode: 0o644)
        for (name, _) in Self.directories {
            try Self.check(mkdir(rootPath + "/" + name, 0o755), name)
        }
        for (name, mode) in Self.files { try Self.write(rootPath + "/" + name, mode: mode) }
        for (name, mode) in Self.directories {
            try Self.check(chmod(rootPath + "/" + name, mode), name)
        }
        try Self.check(chmod(rootPath, 0o755), "chmod site")
        try Self.check(mkfifo(rootPath + "/fifo", 0o644), "mkfifo")
        for (name, target) in Self.links {
            let text = target.hasPrefix("@") ? rootPath + target.dropFirst() : target
            try Self.check(symlink(text, rootPath + "/" + name), name)
        }
        root = Glibc.open(rootPath, CLINUX_O_PATH | O_DIRECTORY | O_CLOEXEC)
        try Self.check(root, "open root")
    }

    deinit {
        close(root)
        for (name, _) in Self.directories { chmod(rootPath + "/" + name, 0o755) }
        try? FileManager.default.removeItem(atPath: base)
    }

    /// The descriptors of this process open on anything inside the tree, the root among them.
    func openDescriptors() -> [Int32] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        var found: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(cString: $0.bindMemory(to: CChar.self).baseAddress!)
            }
            guard let descriptor = Int32(name) else { continue }
            var target = [CChar](repeating: 0, count: Int(PATH_MAX))
            let length = readlink("/proc/self/fd/" + name, &target, target.count)
            guard length > 0 else { continue }
            let path = String(
                decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if path == base || path.hasPrefix(base + "/") { found.append(descriptor) }
        }
        return found
    }

    /// The object at `relative` beneath the root itself (not through a final link).
    func object(_ relative: String) -> LookupResult {
        var info = stat()
        guard fstatat(root, relative, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            return .failed(errno)
        }
        return LookupResult(info)
    }

    private static func write(_ path: String, mode: mode_t) throws {
        let descriptor = creat(path, mode)
        try check(descriptor, path)
        close(descriptor)
    }

    private static func check(_ result: Int32, _ call: String) throws {
        guard result >= 0 else { throw SetupError(call: call, code: errno) }
    }
}
