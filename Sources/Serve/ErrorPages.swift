import HTTP1

/// `--error-page STATUS=/path.html` (behaviour §4.6): the file whose body replaces the plain-text
/// body of a 403, 404 or 416 from the files stage. The status stays; no other status has one.
public struct ErrorPages: Sendable {
    public var forbidden: SitePage?
    public var notFound: SitePage?
    public var rangeNotSatisfiable: SitePage?

    public init() {}

    /// The statuses an error page may be given for.
    public static let statuses: [Status] = [.forbidden, .notFound, .rangeNotSatisfiable]

    /// Every page configured.
    public var all: [SitePage] {
        [forbidden, notFound, rangeNotSatisfiable].compactMap { $0 }
    }

    /// The page for `status`, if one is configured.
    public subscript(status: Status) -> SitePage? {
        get {
            switch status {
            case .forbidden: forbidden
            case .notFound: notFound
            case .rangeNotSatisfiable: rangeNotSatisfiable
            default: nil
            }
        }
        set {
            switch status {
            case .forbidden: forbidden = newValue
            case .notFound: notFound = newValue
            case .rangeNotSatisfiable: rangeNotSatisfiable = newValue
            default: preconditionFailure("no error page for \(status)")
            }
        }
    }
}
