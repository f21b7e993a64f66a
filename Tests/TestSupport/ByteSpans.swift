/// Lends test strings to production code as the byte spans it reads in the server.
public enum ByteSpans {
    /// Calls `body` with the UTF-8 bytes of `text`.
    public static func with<Result>(
        _ text: String, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        try Array(text.utf8).withUnsafeBytes(body)
    }
}
