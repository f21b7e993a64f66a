/// Request bodies made of request heads: `GET /smuggled.txt` again and again, cut to the
/// length asked for. A server that ever took body bytes for a request would answer one of
/// them, which a test sees as a response it never asked for (or a front sees as a desync).
enum SmugglingBody {
    /// The file every embedded request asks for.
    static let target = "/smuggled.txt"

    /// `count` bytes of repeated `GET /smuggled.txt` requests.
    static func make(count: Int) -> [UInt8] {
        let request = Array(UnixHTTPClient.request("GET", target).utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + request.count)
        while bytes.count < count { bytes += request }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// A request head with `Content-Length: count` followed by a body of `count` bytes.
    static func request(_ method: String, _ target: String, count: Int) -> [UInt8] {
        Array(UnixHTTPClient.request(method, target, ["Content-Length: \(count)"]).utf8)
            + make(count: count)
    }
}
