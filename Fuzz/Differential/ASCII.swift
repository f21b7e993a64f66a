/// Byte comparisons the differential target makes on raw input.
enum ASCII {
    /// Whether `bytes` equal `lowercase` ignoring ASCII case.
    static func equalsIgnoringCase(
        _ bytes: Slice<UnsafeRawBufferPointer>, _ lowercase: StaticString
    ) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        for (offset, byte) in bytes.enumerated() {
            let folded = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            guard folded == lowercase.utf8Start[offset] else { return false }
        }
        return true
    }

    /// The bytes as a string for a failure message, escaped.
    static func describe(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
        String(decoding: bytes, as: UTF8.self).debugDescription
    }
}
