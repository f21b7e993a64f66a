/// A parsed HTTP/1.1 response: status line, header fields in the order received, and body.
struct HTTPResponse: Sendable {
    /// The protocol version from the status line, e.g. `HTTP/1.1`.
    let version: String
    /// The status code.
    let status: Int
    /// The reason phrase (possibly empty).
    let reason: String
    /// Every header field as received: names in their original case, values without OWS.
    let headers: [(name: String, value: String)]
    /// The body bytes; empty for HEAD, 1xx, 204 and 304.
    var body: [UInt8] = []

    /// The body decoded as UTF-8.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The value of the first field called `name` (case-insensitive), if any.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The values of every field called `name` (case-insensitive), in order.
    func headers(named name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}
