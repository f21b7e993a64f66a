import Files
import HTTP1
import Loop
import Semantics

/// The files stage of one site, for one loop: from a decoded lookup path to a representation,
/// through the open-file cache, or beneath the root on disk — index files, directories, and
/// the precompressed siblings (behaviour §3, §4.3). It also follows the root path: when the link
/// (or directory) it names is replaced, the new tree is opened on this loop's own thread and
/// the cache emptied; responses in flight keep their files from the old tree. Other loops
/// hold their own reference to the root, so no loop ever sees another's swap half-done and
/// none takes a lock. Touched only by its loop's thread.
struct RepresentationStore {
    private(set) var root: DocumentRoot
    let settings: SiteSettings
    /// Where cache hits and misses, and the cache's gauge and removals, are counted.
    let stats: ResponseStats
    private var cache: FileCache<Representation>
    /// The cache's figures as last published to `stats`, and its version then.
    private var published = CacheFigures()
    private var publishedVersion = 0
    /// How changes are noticed.
    let mode: RevalidationMode
    /// Whether the root path is checked with a `stat` on every request, because no
    /// notification reports its replacement.
    private let checksRootPath: Bool

    init(root: DocumentRoot, settings: SiteSettings, stats: ResponseStats) {
        self.root = root
        self.settings = settings
        self.stats = stats
        let (watcher, mode) =
            settings.openFileCache > 0
            ? ChangeWatcher.make(for: root, enabled: settings.changeNotifications)
            : (nil, .perRequest(reason: "no open-file cache"))
        cache = FileCache(
            capacity: settings.openFileCache, inactivity: settings.openFileCacheInactive,
            watcher: watcher)
        self.mode = mode
        checksRootPath = cache.isEnabled && !(watcher?.watchRootPath(root) ?? false)
    }

    /// The representation of `exchange.path` (`decoded` describes it), at wall-clock `now`
    /// and the loop's monotonic `clock`; `wantsVariants` when the request has an
    /// Accept-Encoding a variant could satisfy.
    mutating func resolve(
        _ decoded: DecodedPath, path: inout [UInt8], now: Int64, clock: Int64, wantsVariants: Bool
    ) -> ResolvedTarget {
        if cache.isEnabled {
            if checksRootPath && !root.pathStillLeadsHere() { switchRoot() }
            if decoded.trailingSlash { LookupPath.appendIndex(to: &path, length: decoded.length) }
            if let (cached, watched) = cache.lookup(path, root: root, now: clock) {
                if watched || !wantsVariants || variantsCurrent(cached, path) {
                    LoopStats.bump(stats.cacheHits)
                    return .representation(cached)
                }
                cache.evict(path, root: root)
            }
            LoopStats.bump(stats.cacheMisses)
            if decoded.trailingSlash { LookupPath.truncate(&path, to: decoded.length) }
        }
        return resolveOnDisk(decoded, path: &path, now: now, clock: clock)
    }

    /// Applies queued change notifications (before a turn's requests), following the root
    /// path if its entry changed.
    mutating func applyChanges() {
        if cache.applyChanges() && !root.pathStillLeadsHere() { switchRoot() }
    }

    /// Closes the cached files unused for the inactivity period as of `clock`.
    mutating func sweep(clock: Int64) {
        cache.sweep(now: clock)
    }

    /// SIGHUP: closes every cached file and re-resolves the root path.
    mutating func reload() {
        cache.removeAll(.reload)
        if !root.pathStillLeadsHere() { switchRoot() }
    }

    /// Publishes the cache's gauge and removal counters when they moved.
    mutating func publishIfChanged() {
        guard cache.version != publishedVersion else { return }
        publishedVersion = cache.version
        stats.publish(cache, since: &published)
    }

    /// The descriptor of the change notifications, when they are in force.
    var changeDescriptor: Int32? { cache.watcher?.descriptor }

    /// Opens the root path's new target and forgets the old tree's files. A root that cannot
    /// be opened now (a link mid-replacement, say) leaves the old one in use until the next
    /// change or SIGHUP.
    private mutating func switchRoot() {
        guard let fresh = try? root.reopened() else { return }
        cache.removeAll(.rootSwitched)
        root = fresh
    }

    /// The uncached path: open beneath the root; a directory is a redirect without its slash
    /// and its index file with it.
    private mutating func resolveOnDisk(
        _ decoded: DecodedPath, path: inout [UInt8], now: Int64, clock: Int64
    ) -> ResolvedTarget {
        if decoded.length == 0 {
            path.removeAll(keepingCapacity: true)
            path.append(contentsOf: [UInt8(ascii: "."), 0])
        }
        switch open(path) {
        case .file(let descriptor, let snapshot):
            if decoded.trailingSlash && decoded.length > 0 { return .failure(.notFound) }
            return .representation(
                opened(OpenFile(descriptor: descriptor, snapshot: snapshot), path, now, clock))
        case .directory:
            guard decoded.trailingSlash else { return .directory }
            LookupPath.truncate(&path, to: decoded.length)
            LookupPath.appendIndex(to: &path, length: decoded.length)
            guard case .file(let descriptor, let snapshot) = open(path) else {
                return .failure(.notFound)
            }
            return .representation(
                opened(OpenFile(descriptor: descriptor, snapshot: snapshot), path, now, clock))
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
    private mutating func opened(
        _ file: OpenFile, _ path: [UInt8], _ now: Int64, _ clock: Int64
    ) -> Representation {
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
        if !representation.hasWeakValidator {
            cache.insert(
                representation, path: path, root: root, now: clock, names: dependencies(of: path))
        }
        return representation
    }

    /// The names in `path`'s directory a cached representation depends on: its own and those
    /// of its possible siblings, which may appear or vanish later.
    private func dependencies(of path: [UInt8]) -> [[UInt8]] {
        guard cache.watcher != nil else { return [] }
        let siblings = Self.variantCodings.map { LookupPath.variant(of: path, $0) }
        return ([path] + siblings).map { lookup in
            lookup.withUnsafeBytes { Array(LookupPath.lastSegment(of: $0)) }
        }
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
