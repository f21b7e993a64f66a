import Foundation
import Glibc

/// A new directory under `/tmp` (short, so socket paths inside it fit `sun_path`), removed
/// with everything in it when the value goes away.
final class TempDirectory: Sendable {
    /// The directory's absolute path.
    let path: String

    /// Creates `/tmp/<prefix>.XXXXXX`.
    init(prefix: String = "asset-sidecar-it") throws {
        var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        guard let created else { throw SupportError.system("mkdtemp", errno: errno) }
        path = created
    }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String {
        "\(path)/\(name)"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
