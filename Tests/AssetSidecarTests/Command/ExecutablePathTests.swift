import Testing

@testable import AssetSidecar

/// The path the hot upgrade executes: `argv[0]` made absolute without resolving links
/// (behaviour §1.6).
@Suite struct ExecutablePathTests {
    @Test func absolutePathIsKeptAsItIs() {
        #expect(
            ExecutablePath.resolve("/usr/local/bin/asset-sidecar", directory: "/x", search: nil)
                == "/usr/local/bin/asset-sidecar")
    }

    @Test func relativePathIsJoinedToTheWorkingDirectory() {
        #expect(ExecutablePath.resolve("bin/a", directory: "/srv", search: "/bin") == "/srv/bin/a")
        #expect(ExecutablePath.resolve("./a", directory: "/srv/", search: nil) == "/srv/./a")
        #expect(ExecutablePath.resolve("bin/a", directory: nil, search: nil) == nil)
    }

    /// A bare name is looked up in PATH, skipping relative and missing entries.
    @Test func bareNameIsSearchedInPath() {
        #expect(
            ExecutablePath.resolve("sh", directory: "/srv", search: "relative:/nonexistent:/bin")
                == "/bin/sh")
        #expect(
            ExecutablePath.resolve("no-such-program-here", directory: "/", search: "/bin") == nil)
    }
}
