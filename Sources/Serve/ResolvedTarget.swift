import HTTP1

/// What the files stage made of a request's path.
enum ResolvedTarget {
    /// A file to serve, with its rendered fields.
    case representation(Representation)
    /// A directory named without its trailing slash: redirect (behaviour §3.3).
    case directory
    /// Nothing at that path (a 404 that `--fallback` may answer).
    case missing
    /// An error status (404, 403, 503, 500) without a path in it.
    case failure(Status)
}
