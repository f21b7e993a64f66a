import CLinux
import Glibc
import HTTP1
import TestSupport
import Testing

@testable import Files

/// The confined component walk that stands in for `openat2(2)` (behaviour §3.1): every outcome must
/// be the one `openat2` with `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS` (plus
/// `RESOLVE_NO_SYMLINKS` under `--symlinks=deny`) gives, and no descriptor may leak.
@Suite struct BeneathWalkTests {
    /// What a path must resolve to: an object of the tree (named beneath the root, not through
    /// a final link), or an errno.
    enum Expected: Sendable {
        case object(String)
        case error(Int32)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var path: String
        /// Under `--symlinks=beneath`.
        var follow: Expected
        /// Under `--symlinks=deny`.
        var deny: Expected
        var testDescription: String { "\"\(path)\"" }

        init(_ path: String, _ follow: Expected, deny: Expected? = nil) {
            self.path = path
            self.follow = follow
            self.deny = deny ?? follow
        }
    }

    static let loop = Expected.error(ELOOP)
    static let escape = Expected.error(EXDEV)
    static let missing = Expected.error(ENOENT)
    static let notDirectory = Expected.error(ENOTDIR)
    static let denied = Expected.error(EACCES)

    static let plainCases: [Case] = [
        Case(".", .object(".")), Case("", missing), Case("/", escape), Case("/file.txt", escape),
        Case("file.txt", .object("file.txt")), Case("file.txt/", notDirectory),
        Case("file.txt/.", notDirectory), Case("file.txt/x", notDirectory), Case("nope", missing),
        Case("nope/x", missing), Case("sub", .object("sub")), Case("sub/", .object("sub")),
        Case("sub/.", .object("sub")), Case("sub/..", .object(".")), Case("sub/../..", escape),
        Case("..", escape), Case("../site/file.txt", escape), Case("sub/deep/../../..", escape),
        Case("sub//deep///leaf.txt", .object("sub/deep/leaf.txt")),
        Case("./sub/./deep/./leaf.txt", .object("sub/deep/leaf.txt")),
        Case("sub/deep/../inner.txt", .object("sub/inner.txt")), Case("fifo", .object("fifo")),
        Case("fifo/", notDirectory), Case("unreadable.txt", denied),
        Case("locked", .object("locked")), Case("locked/", .object("locked")),
        Case("locked/.", denied), Case("locked/..", denied), Case("locked/hidden.txt", denied),
        Case("noread", denied), Case("noread/", denied),
        Case("noread/x.txt", .object("noread/x.txt")),
        Case("noread/..", .object(".")),
        Case(String(repeating: "n", count: 300), .error(ENAMETOOLONG)),
        Case(String(repeating: "sub/", count: 1024), .error(ENAMETOOLONG)),
    ]

    static let linkCases: [Case] = [
        Case("l_file", .object("file.txt"), deny: loop), Case("l_file/", notDirectory, deny: loop),
        Case("l_sub", .object("sub"), deny: loop), Case("l_sub/", .object("sub"), deny: loop),
        Case("l_sub/inner.txt", .object("sub/inner.txt"), deny: loop),
        Case("l_sub/../file.txt", .object("file.txt"), deny: loop),
        Case("l_deep/..", .object("sub"), deny: loop),
        Case("l_deep/../../file.txt", .object("file.txt"), deny: loop),
        Case("l_chain", .object("file.txt"), deny: loop),
        Case("sub/l_up/s.txt", .object("sibling/s.txt"), deny: loop),
        Case("sub/l_parent", .object("."), deny: loop),
        Case("sub/deep/l_root", .object("file.txt"), deny: loop),
        Case("sub/deep/l_escape", escape, deny: loop), Case("l_escape", escape, deny: loop),
        Case("l_prefix", escape, deny: loop), Case("l_prefix_dir/secret", escape, deny: loop),
        Case("l_abs", escape, deny: loop), Case("l_abs/hostname", escape, deny: loop),
        Case("l_abs_inside", escape, deny: loop), Case("l_proc", escape, deny: loop),
        Case("l_proc/etc/hostname", escape, deny: loop), Case("l_loop_a", loop),
        Case("l_self", loop), Case("l_self/x", loop), Case("l0", loop),
        Case("l1", .object("file.txt"), deny: loop), Case("l_dangling", missing, deny: loop),
        Case("l_dangling/x", missing, deny: loop), Case("l_dot", .object("."), deny: loop),
        Case("l_dot/file.txt", .object("file.txt"), deny: loop),
        Case("l_dotdot", escape, deny: loop),
        Case("l_dotdot/site/file.txt", escape, deny: loop),
        Case("l_fifo", .object("fifo"), deny: loop), Case("l_slash", .object("sub"), deny: loop),
        Case("l_slash/inner.txt", .object("sub/inner.txt"), deny: loop),
        Case("l_file_slash", notDirectory, deny: loop), Case("l_locked", denied, deny: loop),
        Case("l_to_link", .object("sub/deep/leaf.txt"), deny: loop),
        Case("l_nested", .object("sibling/s.txt"), deny: loop),
        Case("sibling/l_back", .object("sibling/s.txt"), deny: loop),
        Case("sub/../l_file", .object("file.txt"), deny: loop),
    ]

    /// Opens `path` with `openat2` under the given policy, as `DocumentRoot` does.
    static func viaOpenat2(_ path: String, _ tree: WalkTree, follow: Bool) -> LookupResult {
        var resolve = CLINUX_RESOLVE_BENEATH | CLINUX_RESOLVE_NO_MAGICLINKS
        if !follow { resolve |= CLINUX_RESOLVE_NO_SYMLINKS }
        var descriptor: Int32
        repeat {
            descriptor = clinux_openat2(tree.root, path, UInt64(DocumentRoot.openFlags), resolve)
        } while descriptor < 0 && errno == EAGAIN
        return LookupResult((descriptor, descriptor < 0 ? errno : 0))
    }

    static func viaWalk(_ path: String, _ tree: WalkTree, follow: Bool) -> LookupResult {
        LookupResult(
            Array(path.utf8).withUnsafeBytes {
                BeneathWalk.open($0, beneath: tree.root, followSymlinks: follow)
            })
    }

    static func resolve(_ expected: Expected, _ tree: WalkTree) -> LookupResult {
        switch expected {
        case .object(let name): tree.object(name)
        case .error(let code): .failed(code)
        }
    }

    @Test(arguments: plainCases + linkCases)
    func walkGivesTheExpectedOutcome(_ test: Case) throws {
        let tree = try WalkTree()
        let before = tree.openDescriptors()
        let follow = Self.resolve(test.follow, tree)
        let deny = Self.resolve(test.deny, tree)
        let run = Unprivileged.run {
            [true, false].map { policy in
                (
                    Self.viaWalk(test.path, tree, follow: policy),
                    Self.viaOpenat2(test.path, tree, follow: policy)
                )
            }
        }
        let outcomes = try #require(run, "setfsuid(nobody) had no effect")
        #expect(outcomes[0].0 == follow, "walk, --symlinks=beneath")
        #expect(outcomes[0].1 == follow, "openat2, --symlinks=beneath")
        #expect(outcomes[1].0 == deny, "walk, --symlinks=deny")
        #expect(outcomes[1].1 == deny, "openat2, --symlinks=deny")
        #expect(tree.openDescriptors() == before)
    }

    /// Names, dot segments and links of the tree that random paths are made of.
    static let vocabulary =
        [
            ".", "..", "", "file.txt", "sub", "deep", "leaf.txt", "inner.txt", "sibling", "s.txt",
            "nope", "fifo", "unreadable.txt", "locked", "hidden.txt", "noread", "x.txt", "site",
            "site-private", "secret", "outside.txt",
        ] + WalkTree.links.map { $0.0.split(separator: "/").last.map(String.init)! }

    /// A path of one to seven vocabulary words, sometimes with a trailing or leading slash.
    static func randomPath(_ generator: inout SplitMix64) -> String {
        let count = Int.random(in: 1...7, using: &generator)
        var words = (0..<count).map { _ in vocabulary.randomElement(using: &generator)! }
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: words.append("")
        case 1: words.insert("", at: 0)
        default: break
        }
        return words.joined(separator: "/")
    }

    @Test func walkAgreesWithOpenat2OnTableAndRandomPaths() throws {
        let tree = try WalkTree()
        let before = tree.openDescriptors()
        #expect(before == [tree.root])
        var generator = SplitMix64(state: 0x5EED_0F_BE_4E47)
        let paths =
            (Self.plainCases + Self.linkCases).map(\.path)
            + (0..<4000).map { _ in Self.randomPath(&generator) }
        let run = Unprivileged.run {
            paths.flatMap { path in
                [true, false].compactMap { follow -> String? in
                    let walk = Self.viaWalk(path, tree, follow: follow)
                    let kernel = Self.viaOpenat2(path, tree, follow: follow)
                    guard walk.grouped != kernel.grouped else { return nil }
                    return "\"\(path)\" follow=\(follow): walk \(walk), openat2 \(kernel)"
                }
            }
        }
        let mismatches = try #require(run, "setfsuid(nobody) had no effect")
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
        #expect(tree.openDescriptors() == before)
    }
}
