import Files

/// A file cache's figures as last published to ``ResponseStats``: entries, entries revalidated
/// per request, removals by cause.
struct CacheFigures {
    var entries = 0
    var revalidated = 0
    var removals = [Int](repeating: 0, count: CacheRemoval.allCases.count)

    init() {}

    init<Value>(_ cache: FileCache<Value>) {
        entries = cache.count
        revalidated = cache.revalidatedCount
        removals = cache.removals
    }
}
