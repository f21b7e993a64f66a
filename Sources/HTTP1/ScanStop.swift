/// Why `HeadScanner` stopped before reaching the end of a head; thrown (typed) so that the scan
/// reads as straight-line code.
public enum ScanStop: Error {
    /// The buffer ends inside the head, within the limits.
    case incomplete
    /// The head is invalid, or cannot fit the limits.
    case failed(ParseError)
}
