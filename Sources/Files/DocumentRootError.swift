/// A document root that cannot be served: missing, not a directory, or not openable beneath
/// itself. Found at startup; the message names the path (it goes to the journal, never into a
/// response).
public struct DocumentRootError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
