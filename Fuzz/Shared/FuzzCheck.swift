/// Invariant checks for the fuzz targets. A failed check stops the process with its message,
/// which libFuzzer reports as a crash and saves the input for.
public enum FuzzCheck {
    /// Stops with `message` when `condition` is false; unlike `precondition`, the message is kept
    /// in optimised builds.
    public static func require(
        _ condition: Bool, _ message: @autoclosure () -> String,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        if !condition {
            fail(message(), file: file, line: line)
        }
    }

    /// Stops with `message`: an invariant does not hold.
    public static func fail(
        _ message: String, file: StaticString = #fileID, line: UInt = #line
    ) -> Never {
        fatalError("invariant violated: \(message)", file: file, line: line)
    }

    /// The fuzz input as a raw buffer; libFuzzer may pass a null pointer for an empty input.
    public static func input(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    }

    /// A copy of `bytes` in an allocation of exactly their size, so AddressSanitizer reports
    /// any read past them; `body` must not keep the buffer.
    public static func withExactCopy<Result>(
        of bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Result
    ) -> Result {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { copy.deallocate() }
        copy.copyMemory(from: bytes)
        return body(UnsafeRawBufferPointer(copy))
    }
}
