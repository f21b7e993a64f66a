/// Character classes of the request grammar, one bit each in a 256-entry table so that a scan
/// loop costs one table load per byte.
public enum ByteClass {
    /// `tchar` (RFC 9110 §5.6.2): method and field-name bytes.
    public static let token: UInt8 = 1 << 0
    /// VCHAR, obs-text, SP and HTAB (RFC 9110 §5.5): field-value bytes.
    public static let fieldValue: UInt8 = 1 << 1
    /// `pchar`, `/` and `%` (RFC 3986 §3.3): path bytes of a request-target.
    public static let path: UInt8 = 1 << 2
    /// Query bytes: every visible ASCII byte but `#`. Wider than RFC 3986 §3.4 on purpose:
    /// browsers send raw `{ } | ^ [ ] "` in queries and nginx forwards them unchanged, and the
    /// query never reaches a file lookup.
    public static let query: UInt8 = 1 << 3
    /// `reg-name` bytes, with `%` (RFC 3986 §3.2.2).
    public static let regName: UInt8 = 1 << 4
    /// Bytes that may appear in `host [":" port]`: reg-name bytes, `:`, `[` and `]`.
    public static let authority: UInt8 = 1 << 5
    /// Bytes that may appear between the brackets of an IP-literal: unreserved, sub-delims and
    /// `:` (RFC 3986 §3.2.2, which covers IPv6 addresses and IPvFuture).
    public static let ipLiteral: UInt8 = 1 << 6
    /// HEXDIG, either case.
    public static let hexDigit: UInt8 = 1 << 7

    /// The class bits of each byte value.
    public static let table: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        func add(_ bytes: String, _ bits: UInt8) {
            for byte in bytes.utf8 {
                table[Int(byte)] |= bits
            }
        }
        let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        let digits = "0123456789"
        let unreserved = letters + digits + "-._~"
        let subDelims = "!$&'()*+,;="
        add(letters + digits + "!#$%&'*+-.^_`|~", token)
        add(unreserved + subDelims + ":@/%", path | query)
        for byte in 0x21...0x7E where byte != 0x23 {
            table[byte] |= query
        }
        add(unreserved + subDelims + "%", regName | authority)
        add(":[]", authority)
        add(unreserved + subDelims + ":", ipLiteral)
        add(digits + "ABCDEFabcdef", hexDigit)
        for byte in 0x21...0xFF where byte != 0x7F {
            table[byte] |= fieldValue
        }
        add(" \t", fieldValue)
        return table
    }()
}
