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
    /// `--header` fields by path.
    public var headers: HeaderRules
    /// `--fallback`, if given.
    public var fallback: Fallback?
    /// `--error-page` bodies.
    public var errorPages: ErrorPages

    public init(
        dotfiles: DotfilePolicy, mime: MIMETable, maxRanges: Int,
        cacheControl: CacheControlRules, openFileCache: Int,
        headers: HeaderRules = HeaderRules(rules: []), fallback: Fallback? = nil,
        errorPages: ErrorPages = ErrorPages()
    ) {
        self.dotfiles = dotfiles
        self.mime = mime
        self.maxRanges = maxRanges
        self.cacheControl = cacheControl
        self.openFileCache = openFileCache
        self.headers = headers
        self.fallback = fallback
        self.errorPages = errorPages
    }
}
