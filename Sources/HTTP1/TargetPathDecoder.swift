/// Maps the raw path of a request-target onto a path relative to the document root
/// (behaviour §2.3).
public enum TargetPathDecoder {
    /// Percent-decodes `raw` (an absolute path "/..." as in `RequestHead.path`) once, resolves
    /// "." and ".." segments (also when they were percent-encoded) and empty segments, and
    /// writes the result into `output` (replacing what it held, capacity kept): the relative path without
    /// a leading '/', segments joined by '/', "" for the root, followed by one NUL byte (not
    /// counted in `length`) so it can be handed to openat2. On failure `output` is left empty.
    ///
    /// Decoded bytes of 0x80 and above are kept (UTF-8 names); `%00`, `%2F`, and any decoded
    /// control byte are errors, as is a `..` with nothing left to remove. Allocates only when
    /// `output`'s capacity is below `raw.count + 1`.
    public static func decode(
        _ raw: UnsafeRawBufferPointer, into output: inout [UInt8]
    ) -> Result<DecodedPath, TargetError> {
        resize(&output, to: raw.count + 1)
        let result = output.withUnsafeMutableBufferPointer { output in
            resolve(raw, into: output)
        }
        switch result {
        case .success(let path):
            resize(&output, to: path.length + 1)
        case .failure:
            output.removeAll(keepingCapacity: true)
        }
        return result
    }

    /// Sets `bytes.count` to `count`, capacity kept; added bytes are 0 and are overwritten
    /// before they are read. One byte at a time for the usual difference of a byte or two:
    /// Array's ranged `append(contentsOf:)` and `removeLast(_:)` cost about 80 instructions each
    /// however few bytes they move (callgrind, W1), a single-element one a few.
    private static func resize(_ bytes: inout [UInt8], to count: Int) {
        let difference = count - bytes.count
        if difference > 8 {
            bytes.append(contentsOf: repeatElement(0, count: difference))
        } else if difference < -8 {
            bytes.removeLast(-difference)
        } else if difference > 0 {
            for _ in 0..<difference { bytes.append(0) }
        } else if difference < 0 {
            for _ in 0..<(-difference) { bytes.removeLast() }
        }
    }

    /// Decodes `raw` into `output`, which has room for `raw.count + 1` bytes: the result never
    /// holds more bytes than were read, since each separator it writes was read as a `/`.
    private static func resolve(
        _ raw: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<UInt8>
    ) -> Result<DecodedPath, TargetError> {
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        var length = 0
        var index = 0
        var endsWithDotSegment = false
        while index < raw.count {
            if raw[index] == slash {
                index += 1
                continue
            }
            // Decode the segment after the separator it will need if kept.
            let start = length == 0 ? 0 : length + 1
            var end = start
            while index < raw.count, raw[index] != slash {
                var byte = raw[index]
                if byte == UInt8(ascii: "%") {
                    guard index + 2 < raw.count, let high = hexValue(raw[index + 1]),
                        let low = hexValue(raw[index + 2])
                    else { return .failure(.malformedEncoding) }
                    byte = high << 4 | low
                    guard byte != 0 else { return .failure(.encodedNul) }
                    guard byte != slash else { return .failure(.encodedSlash) }
                    index += 3
                } else {
                    index += 1
                }
                guard byte >= 0x20, byte != 0x7F else { return .failure(.controlByte) }
                output[end] = byte
                end += 1
            }
            let segment = end - start
            if segment == 1, output[start] == dot {
                endsWithDotSegment = true
            } else if segment == 2, output[start] == dot, output[start + 1] == dot {
                guard length > 0 else { return .failure(.climbsAboveRoot) }
                while length > 0, output[length - 1] != slash {
                    length -= 1
                }
                length = max(length - 1, 0)
                endsWithDotSegment = true
            } else {
                if start > 0 {
                    output[length] = slash
                }
                length = end
                endsWithDotSegment = false
            }
        }
        output[length] = 0
        let path = UnsafeBufferPointer(rebasing: output[..<length])
        return .success(
            DecodedPath(
                length: length,
                trailingSlash: raw.isEmpty || raw[raw.count - 1] == slash || endsWithDotSegment,
                hasDotSegment: hasDotSegment(path),
                isWellKnown: isWellKnown(path)))
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Whether a segment of `path` begins with `.`.
    private static func hasDotSegment(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in path.indices
        where path[index] == UInt8(ascii: ".")
            && (index == 0 || path[index - 1] == UInt8(ascii: "/"))
        {
            return true
        }
        return false
    }

    /// Whether the first segment of `path` is `.well-known`.
    private static func isWellKnown(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        let name: StaticString = ".well-known"
        let count = name.utf8CodeUnitCount
        guard path.count == count || (path.count > count && path[count] == UInt8(ascii: "/"))
        else { return false }
        for index in 0..<count where path[index] != name.utf8Start[index] {
            return false
        }
        return true
    }
}
