import CLinux
import Glibc

/// The confined lookup used where `openat2(2)` is unavailable: it resolves a path one component
/// at a time beneath the root with the policy of `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS`
/// (`| RESOLVE_NO_SYMLINKS` when links are denied), behaviour §3.1, and fails closed.
///
/// The kernel is only ever handed a single name (no `/`, never `..`) relative to a directory
/// descriptor the walk holds, opened with `O_NOFOLLOW`, so nothing it resolves can leave that
/// directory. `..` pops the stack of directories entered from the root, and popping the root is
/// `EXDEV`. A symbolic link is read with `readlinkat` and its target spliced into the rest of
/// the path, so a `..` inside it meets the same stack; an absolute target is `EXDEV` and the
/// 41st link `ELOOP`, as in the kernel. Magic links cannot jump anywhere: their text is read
/// like any other link's, and is absolute or names nothing.
public struct BeneathWalk: ~Copyable {
    /// `MAXSYMLINKS`: the links one lookup may follow before `ELOOP`.
    private static let linkLimit = 40

    private static let slash = UInt8(ascii: "/")
    private static let dot = UInt8(ascii: ".")

    private let followSymlinks: Bool
    /// The root, then each directory entered beneath it; all but the root are owned.
    private var directories: [Int32]
    /// The path still to resolve, with the targets of followed links spliced in.
    private var rest: [UInt8]
    private var links = 0
    /// The NUL-terminated component being looked up, reused across components.
    private var name: [UInt8] = []

    /// Opens `path` (relative, NUL-free, components joined by `/`; "." is the root) beneath
    /// `root`, an `O_PATH | O_DIRECTORY` descriptor, with `DocumentRoot.openFlags`. Returns the
    /// descriptor, or -1 and the errno the `openat2` lookup would have given.
    public static func open(
        _ path: UnsafeRawBufferPointer, beneath root: Int32, followSymlinks: Bool
    ) -> (descriptor: Int32, errno: Int32) {
        if path.isEmpty { return (-1, ENOENT) }
        if path.count >= Int(PATH_MAX) { return (-1, ENAMETOOLONG) }
        // A NUL would end the name the kernel sees: "..\0x" would pass as a plain name.
        if path.contains(0) { return (-1, EINVAL) }
        if path[0] == slash { return (-1, EXDEV) }
        var walk = BeneathWalk(root: root, path: Array(path), followSymlinks: followSymlinks)
        return walk.resolve()
    }

    private init(root: Int32, path: [UInt8], followSymlinks: Bool) {
        self.followSymlinks = followSymlinks
        directories = [root]
        rest = path
    }

    deinit {
        for descriptor in directories.dropFirst() { close(descriptor) }
    }

    private var current: Int32 { directories[directories.count - 1] }

    /// Resolves `rest` component by component. A component followed by another must be a
    /// directory; the last one is opened for reading (and must be a directory when a slash
    /// follows it, as `openat2` requires).
    private mutating func resolve() -> (descriptor: Int32, errno: Int32) {
        var start = 0
        while true {
            let end = rest[start...].firstIndex(of: Self.slash) ?? rest.count
            let next = rest[end...].firstIndex { $0 != Self.slash } ?? rest.count
            let isLast = next == rest.count
            switch end - start {
            case 1 where rest[start] == Self.dot:
                if isLast { return openCurrent() }
            case 2 where rest[start] == Self.dot && rest[start + 1] == Self.dot:
                if let code = leave() { return (-1, code) }
                if isLast { return openCurrent() }
            default:
                var flags = CLINUX_O_PATH | O_DIRECTORY | O_CLOEXEC
                if isLast { flags = DocumentRoot.openFlags | (end < rest.count ? O_DIRECTORY : 0) }
                // Under O_NOFOLLOW a link fails as a file does (ENOTDIR) when O_DIRECTORY is set,
                // else with ELOOP.
                let linkError = flags & O_DIRECTORY != 0 ? ENOTDIR : ELOOP
                setName(rest[start..<end])
                let directory = current
                let opened = withName { openat(directory, $0, flags | O_NOFOLLOW) }
                if opened >= 0 {
                    if isLast { return (opened, 0) }
                    directories.append(opened)
                } else {
                    let code = errno
                    guard code == linkError else { return (-1, code) }
                    if let code = follow(linkError, replacing: 0..<end) { return (-1, code) }
                    start = 0
                    continue
                }
            }
            start = next
        }
    }

    /// Opens the current directory itself, as the last component (`.`, `..`, or the root).
    private func openCurrent() -> (descriptor: Int32, errno: Int32) {
        let opened = openat(current, ".", DocumentRoot.openFlags)
        return opened >= 0 ? (opened, 0) : (-1, errno)
    }

    /// `..`: back to the directory the current one was entered from, after the search-permission
    /// check the kernel makes on the current directory. Returns the errno on failure; above the
    /// root is `EXDEV` (`RESOLVE_BENEATH`).
    private mutating func leave() -> Int32? {
        let check = openat(current, ".", CLINUX_O_PATH | O_CLOEXEC)
        guard check >= 0 else { return errno }
        close(check)
        guard directories.count > 1 else { return EXDEV }
        close(directories.removeLast())
        return nil
    }

    /// The component in `name` failed to open with `linkError`, so it may be a link. If the walk
    /// may follow it, splices its target over `replaced` (the path up to the link) and returns
    /// nil; else returns the errno: `linkError` for what is not a link after all, `ELOOP` past
    /// the link limit or when links are denied, `EXDEV` for an absolute target.
    private mutating func follow(_ linkError: Int32, replacing replaced: Range<Int>) -> Int32? {
        var target = [UInt8](repeating: 0, count: Int(PATH_MAX))
        let directory = current
        let length = target.withUnsafeMutableBytes { buffer in
            withName { readlinkat(directory, $0, buffer.baseAddress!, buffer.count) }
        }
        guard length >= 0 else { return errno == EINVAL ? linkError : errno }
        guard length < target.count else { return ENAMETOOLONG }
        links += 1
        guard links <= Self.linkLimit, followSymlinks else { return ELOOP }
        guard length > 0 else { return ENOENT }
        guard target[0] != Self.slash else { return EXDEV }
        rest.replaceSubrange(replaced, with: target[..<length])
        return nil
    }

    /// Makes `name` the NUL-terminated copy of `component`.
    private mutating func setName(_ component: ArraySlice<UInt8>) {
        name.removeAll(keepingCapacity: true)
        name.append(contentsOf: component)
        name.append(0)
    }

    /// Calls `body` with `name` as a C string.
    private func withName<Result>(_ body: (UnsafePointer<CChar>) -> Result) -> Result {
        name.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }
}
