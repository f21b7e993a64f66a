import HTTP1

/// What the serving stage knows of the moment and the connection when it answers a request.
public struct ResponseContext {
    /// Wall-clock seconds, and the `Date` field value for them.
    public var seconds: Int64
    public var date: [UInt8]
    /// The connection may stay open after this response.
    public var keepAlive: Bool
    public var version: HTTPVersion
    /// A number unique to this response on this loop (multipart boundaries).
    public var sequence: UInt64

    public init(
        seconds: Int64, date: [UInt8], keepAlive: Bool, version: HTTPVersion, sequence: UInt64
    ) {
        self.seconds = seconds
        self.date = date
        self.keepAlive = keepAlive
        self.version = version
        self.sequence = sequence
    }
}
