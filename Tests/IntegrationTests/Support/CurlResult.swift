/// What one curl(1) run produced.
struct CurlResult: Sendable {
    /// curl's exit code (0 on success; 7 connection refused, 28 timeout, 52 empty reply, …).
    let exitCode: Int32
    /// The status code of the last response, if one arrived.
    let status: Int?
    /// The last response's header fields (from `--dump-header`), in order.
    let headers: [(name: String, value: String)]
    /// The body as curl wrote it.
    let body: [UInt8]
    /// curl's own messages (`-sS`: errors only).
    let standardError: String

    /// The body decoded as UTF-8.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The value of the first field called `name` (case-insensitive), if any.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
