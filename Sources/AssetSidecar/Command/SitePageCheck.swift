import Files
import Glibc
import Serve

/// The start-up check of `--fallback` and `--error-page` files (behaviour §4.6): each must
/// open beneath every document root it is served from, as a regular file, the way a request
/// would open it (confinement and the symlink policy apply); else the process does not start.
enum SitePageCheck {
    /// Throws ``StartupError`` naming the first page `root` cannot serve.
    static func verify(_ settings: SiteSettings, root: DocumentRoot) throws {
        var pages = settings.errorPages.all.map { ("--error-page", $0) }
        if let fallback = settings.fallback { pages.append(("--fallback", fallback.page)) }
        for (flag, page) in pages {
            let outcome = page.path.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { root.open($0.baseAddress!) }
            }
            let problem: String
            switch outcome {
            case .file(let descriptor, _):
                try? descriptor.close()
                continue
            case .directory: problem = "is a directory"
            case .failure(.notFound): problem = "does not exist"
            case .failure(.refused):
                problem = "is refused by confinement (a link out of the root, or a special file)"
            case .failure(.forbidden): problem = "is not readable"
            case .failure(let failure): problem = "cannot be opened (\(failure))"
            }
            throw StartupError("\(flag) \(page.target) \(problem) beneath \(root.path)")
        }
    }
}
