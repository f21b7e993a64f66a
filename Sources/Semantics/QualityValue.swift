import HTTP1

/// Quality values (RFC 9110 §12.4.2), held as thousandths: 0 (not acceptable) to 1000.
public enum QualityValue {
    /// Parses `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )` into
    /// thousandths, or returns nil if `bytes` is not exactly one qvalue.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 5 else {
            return nil
        }
        let leading = bytes[0]
        guard leading == 0x30 || leading == 0x31 else {
            return nil
        }
        if bytes.count == 1 {
            return leading == 0x31 ? 1000 : 0
        }
        guard bytes[1] == 0x2E else {
            return nil
        }
        var thousandths = 0
        var scale = 100
        for index in 2..<bytes.count {
            let byte = bytes[index]
            guard ASCII.isDigit(byte) else {
                return nil
            }
            thousandths += Int(byte - 0x30) * scale
            scale /= 10
        }
        if leading == 0x31 {
            return thousandths == 0 ? 1000 : nil
        }
        return thousandths
    }
}
