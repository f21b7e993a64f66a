import Glibc
import HTTP1
import Testing

@testable import Files

/// `DocumentRoot` on the walk, as after `openat2` failed with `ENOSYS` (behaviour §3.1): every path
/// must get the outcome it gets through `openat2`, and no descriptor may leak.
@Suite struct BeneathWalkFallbackTests {
    /// An outcome reduced to what a response depends on, closing the file it opened.
    static func summary(_ outcome: LookupOutcome) -> String {
        switch outcome {
        case .file(let file, let snapshot):
            Glibc.close(file.rawValue)
            return "file \(snapshot.device):\(snapshot.inode)"
        case .directory: return "directory"
        case .failure(let failure): return "\(failure)"
        }
    }

    @Test(arguments: SymlinkPolicy.allCases)
    func documentRootOnTheWalkAgreesWithOpenat2(_ policy: SymlinkPolicy) throws {
        let tree = try WalkTree()
        let before = tree.openDescriptors()
        do {
            let kernel = try DocumentRoot(path: tree.rootPath, symlinks: policy)
            let walk = try DocumentRoot(path: tree.rootPath, symlinks: policy)
            walk.lacksOpenat2.store(true, ordering: .relaxed)
            let paths = (BeneathWalkTests.plainCases + BeneathWalkTests.linkCases).map(\.path)
            let run = Unprivileged.run {
                paths.map { path in
                    path.withCString {
                        (Self.summary(kernel.open($0)), Self.summary(walk.open($0)))
                    }
                }
            }
            let outcomes = try #require(run, "setfsuid(nobody) had no effect")
            for (path, outcome) in zip(paths, outcomes) {
                #expect(outcome.0 == outcome.1, "\"\(path)\": openat2 vs walk")
            }
            let remembered = kernel.lacksOpenat2.load(ordering: .relaxed)
            #expect(!remembered, "openat2 works here, so nothing falls back")
        }
        #expect(tree.openDescriptors() == before)
    }
}
