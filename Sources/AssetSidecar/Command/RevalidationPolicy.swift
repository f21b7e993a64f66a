import ArgumentParser

/// `--revalidate`: how cached files are checked for changes.
enum RevalidationPolicy: String, Sendable, CaseIterable, ExpressibleByArgument {
    /// Change notifications where they can be trusted, per-request `fstatat` elsewhere.
    case auto
    /// One `fstatat` on every cache hit, notifications unused: a diagnostic, to tell whether
    /// a freshness problem comes from the notifications.
    case always
}
