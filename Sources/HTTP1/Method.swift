/// A request method, as far as this server distinguishes them (behaviour §2.1).
///
/// Method names are case-sensitive (RFC 9110 §9.1): `get` is an unknown method.
public enum Method: Sendable, Equatable {
    case get
    case head
    /// Another method registered by RFC 9110 or RFC 5789: POST, PUT, DELETE, CONNECT, OPTIONS,
    /// TRACE or PATCH (the server answers 405).
    case known
    /// Any other token (the server answers 501).
    case unknown

    /// Classifies a method name, which the caller has checked is a token.
    public init(token: UnsafeRawBufferPointer) {
        func isName(_ name: StaticString) -> Bool {
            guard token.count == name.utf8CodeUnitCount else { return false }
            for index in 0..<token.count where token[index] != name.utf8Start[index] {
                return false
            }
            return true
        }
        switch token.count {
        case 3:
            self = isName("GET") ? .get : isName("PUT") ? .known : .unknown
        case 4:
            self = isName("HEAD") ? .head : isName("POST") ? .known : .unknown
        case 5:
            self = isName("PATCH") || isName("TRACE") ? .known : .unknown
        case 6:
            self = isName("DELETE") ? .known : .unknown
        case 7:
            self = isName("OPTIONS") || isName("CONNECT") ? .known : .unknown
        default:
            self = .unknown
        }
    }
}
