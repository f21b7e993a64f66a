import Files

/// How a site's files are served: fixed at startup by the configuration builder, shared
/// read-only by every loop.
public struct SiteSettings: Sendable {
    public var dotfiles: DotfilePolicy
    public var mime: MIMETable
    /// Most ranges honoured in one request; more get the whole file (behaviour §5.4).
    public var maxRanges: Int
    public var cacheControl: CacheControlRules
    /// Files each loop keeps open with their rendered fields (0: no cache).
    public var openFileCache: Int

    public init(
        dotfiles: DotfilePolicy, mime: MIMETable, maxRanges: Int,
        cacheControl: CacheControlRules, openFileCache: Int
    ) {
        self.dotfiles = dotfiles
        self.mime = mime
        self.maxRanges = maxRanges
        self.cacheControl = cacheControl
        self.openFileCache = openFileCache
    }
}
