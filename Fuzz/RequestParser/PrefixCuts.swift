import HTTP1

/// The prefix lengths of an input that the parser target re-parses: one byte short of the end,
/// and one position that depends on the input's bytes, so that different inputs probe different
/// cuts while each input stays reproducible.
enum PrefixCuts {
    /// Up to two distinct prefix lengths shorter than `input`.
    static func cuts(of input: UnsafeRawBufferPointer) -> [Int] {
        guard input.count > 1 else { return input.isEmpty ? [] : [0] }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in input {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let inside = Int(hash % UInt64(input.count - 1))
        return [input.count - 1, inside]
    }
}
