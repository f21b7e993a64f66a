/// Size limits for one request head (behaviour §2.5); every limit is checked before the bytes beyond
/// it are examined, so a peer cannot make the parser scan more than the limits allow.
public struct ParserLimits: Sendable {
    /// The longest request line, counting its CRLF (larger → 414).
    public var requestLine = 8192
    /// The longest header section: every field line with its CRLF plus the final empty line,
    /// counted separately from the request line (larger → 431).
    public var headerSection = 16384
    /// The most field lines a head may have (more → 431).
    public var headerCount = 100

    public init(requestLine: Int = 8192, headerSection: Int = 16384, headerCount: Int = 100) {
        self.requestLine = requestLine
        self.headerSection = headerSection
        self.headerCount = headerCount
    }
}
