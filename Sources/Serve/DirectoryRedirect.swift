import HTTP1

/// behaviour §3.3: a directory named without its trailing slash.
enum DirectoryRedirect {
    /// The `Location` of the 301: the same path plus `/`, as a relative reference (the last raw
    /// segment and `/`, prefixed with `./` when the segment could read as a scheme, RFC 3986
    /// §4.2), query kept.
    static func location(_ request: RequestHead, _ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let raw = bytes[request.path]
        let lastSlash = raw.lastIndex(of: UInt8(ascii: "/")) ?? raw.startIndex
        var location: [UInt8] = []
        let segment = raw[(lastSlash + 1)...]
        if segment.contains(UInt8(ascii: ":")) {
            location.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "/")])
        }
        location.append(contentsOf: segment)
        location.append(UInt8(ascii: "/"))
        if let query = request.query {
            location.append(UInt8(ascii: "?"))
            location.append(contentsOf: bytes[query])
        }
        return location
    }
}
