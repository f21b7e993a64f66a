import Files
import HTTP1
import Semantics

/// The files stage of one site, for one loop: from a decoded lookup path to a representation,
/// through the open-file cache, or beneath the root on disk — index files, directories, and
/// the precompressed siblings (behaviour §3, §4.3). Touched only by its loop's thread.
struct RepresentationStore {
    let root: DocumentRoot
    let settings: SiteSettings
    /// Where cache hits and misses are counted.
    let stats: ResponseStats
    private var cache: FileCache<Representation>

    init(root: DocumentRoot, settings: SiteSettings, stats: ResponseStats) {
        self.root = root
        self.settings = settings
        self.stats = stats
        cache = FileCache(capacity: settings.openFileCache)
    }

    /// The representation of `exchange.path` (`decoded` describes it), at wall-clock `now`;
    /// `wantsVariants` when the request has an Accept-Encoding a variant could satisfy.
    mutating func resolve(
        _ decoded: DecodedPath, path: inout [UInt8], now: Int64, wantsVariants: Bool
    ) -> ResolvedTarget {
        if cache.isEnabled {
            if decoded.trailingSlash { LookupPath.appendIndex(to: &path, length: decoded.length) }
            if let cached = cache.lookup(path, root: root) {
                if !wantsVariants || variantsCurrent(cached, path) {
                    ResponseStats.bump(stats.cacheHits)
                    return .representation(cached)
                }
                cache.evict(path, root: root)
            }
            ResponseStats.bump(stats.cacheMisses)
            if decoded.trailingSlash { LookupPath.truncate(&path, to: decoded.length) }
        }
        return resolveOnDisk(decoded, path: &path, now: now)
    }

    /// SIGHUP: closes every cached file.
    mutating func removeAll() {
        cache.removeAll()
    }

    /// The uncached path: open beneath the root; a directory is a redirect without its slash
    /// and its index file with it.
    private mutating func resolveOnDisk(
        _ decoded: DecodedPath, path: inout [UInt8], now: Int64
    ) -> ResolvedTarget {
        if decoded.length == 0 {
            path.removeAll(keepingCapacity: true)
            path.append(contentsOf: [UInt8(ascii: "."), 0])
        }
        switch open(path) {
        case .file(let descriptor, let snapshot):
            if decoded.trailingSlash && decoded.length > 0 { return .failure(.notFound) }
            return .representation(
                opened(OpenFile(descriptor: descriptor, snapshot: snapshot), path, now))
        case .directory:
            guard decoded.trailingSlash else { return .directory }
            LookupPath.truncate(&path, to: decoded.length)
            LookupPath.appendIndex(to: &path, length: decoded.length)
            guard case .file(let descriptor, let snapshot) = open(path) else {
                return .failure(.notFound)
            }
            return .representation(
                opened(OpenFile(descriptor: descriptor, snapshot: snapshot), path, now))
        case .failure(let failure):
            switch failure {
            case .notFound: return .missing
            case .refused: return .failure(.notFound)
            case .forbidden: return .failure(.forbidden)
            case .exhausted: return .failure(.serviceUnavailable)
            case .unsupported, .other: return .failure(.internalServerError)
            }
        }
    }

    /// Renders the fields of a freshly opened file and of its precompressed siblings, and
    /// caches them when every validator is strong (a weak one means the file changed within the
    /// second: behaviour §4.1).
    private mutating func opened(_ file: OpenFile, _ path: [UInt8], _ now: Int64)
        -> Representation
    {
        let (contentType, cacheControl, headerLines) = path.withUnsafeBytes { raw in
            let relative = UnsafeRawBufferPointer(rebasing: raw.dropLast())
            return (
                settings.mime.contentType(forName: LookupPath.lastSegment(of: raw)),
                settings.cacheControl.value(for: relative), settings.headers.lines(for: relative)
            )
        }
        let inline = cache.isEnabled
        var variants: [Representation] = []
        for coding in Self.variantCodings {
            guard
                case .file(let descriptor, let snapshot) = open(
                    LookupPath.variant(of: path, coding))
            else { continue }
            variants.append(
                Representation(
                    file: OpenFile(descriptor: descriptor, snapshot: snapshot),
                    contentType: contentType, encoding: coding, cacheControl: cacheControl,
                    headerLines: headerLines, now: now, inline: inline))
        }
        let representation = Representation(
            file: file, contentType: contentType, encoding: .identity, cacheControl: cacheControl,
            headerLines: headerLines, now: now, inline: inline)
        representation.variants = variants
        representation.directoryStamp = FileStamp.stamp(LookupPath.parent(of: path), root: root)
            .map(FileSnapshot.init)
        if !representation.hasWeakValidator { cache.insert(representation, path: path, root: root) }
        return representation
    }

    /// The codings whose siblings are looked for, in the order they are probed.
    private static let variantCodings: [ContentCoding] = [.brotli, .zstd, .gzip]

    /// Whether the variants found when `representation` was cached are still the ones on disk:
    /// the directory is unchanged (none added, removed or renamed) and each variant file is.
    private func variantsCurrent(_ representation: Representation, _ path: [UInt8]) -> Bool {
        guard let stamp = representation.directoryStamp,
            FileStamp.isCurrent(LookupPath.parent(of: path), root: root, stamp)
        else { return false }
        return representation.variants.allSatisfy {
            FileStamp.isCurrent(
                LookupPath.variant(of: path, $0.encoding), root: root, $0.file.snapshot)
        }
    }

    /// Opens the NUL-terminated `path` beneath the root.
    private func open(_ path: [UInt8]) -> LookupOutcome {
        path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { root.open($0.baseAddress!) }
        }
    }
}
