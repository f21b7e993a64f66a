import HTTP1

/// The weights one Accept-Encoding field gives the codings this server knows, in thousandths
/// (RFC 9110 §12.4.2); -1 where the field does not name the coding.
public struct CodingWeights {
    public var brotli = -1
    public var zstd = -1
    public var gzip = -1
    public var identity = -1
    public var star = -1

    /// The weight `coding` ends up with, combining its own entry, `*` and the identity
    /// default (RFC 9110 §12.5.3).
    public func effectiveWeight(of coding: ContentCoding) -> Int {
        let named: Int
        switch coding {
        case .brotli: named = brotli
        case .zstd: named = zstd
        case .gzip: named = gzip
        case .identity: named = identity
        }
        if named >= 0 {
            return named
        }
        if star >= 0 {
            return star
        }
        return coding == .identity ? 1 : 0
    }

    /// Reads one list element, `codings [ weight ]`, and notes its weight
    /// (RFC 9110 §12.5.3, §12.4.2: `weight = OWS ";" OWS "q=" qvalue`).
    public mutating func record(_ element: UnsafeRawBufferPointer) {
        var end = 0
        while end < element.count, ASCII.isTokenChar(element[end]) {
            end += 1
        }
        guard end > 0,
            let weight = CodingWeights.weight(ASCII.slice(element, end..<element.count))
        else {
            return
        }
        let name = ASCII.slice(element, 0..<end)
        if ASCII.equalsIgnoringCase(name, "br") {
            CodingWeights.lower(&brotli, to: weight)
        } else if ASCII.equalsIgnoringCase(name, "zstd") {
            CodingWeights.lower(&zstd, to: weight)
        } else if ASCII.equalsIgnoringCase(name, "gzip")
            || ASCII.equalsIgnoringCase(name, "x-gzip")
        {
            CodingWeights.lower(&gzip, to: weight)
        } else if ASCII.equalsIgnoringCase(name, "identity") {
            CodingWeights.lower(&identity, to: weight)
        } else if ASCII.equalsIgnoringCase(name, "*") {
            CodingWeights.lower(&star, to: weight)
        }
    }

    /// The weight given by what follows a coding name: nothing (1.000) or one `;q=`
    /// parameter; nil if anything else follows.
    private static func weight(_ rest: UnsafeRawBufferPointer) -> Int? {
        let trimmed = ASCII.trimmed(rest)
        guard !trimmed.isEmpty else {
            return 1000
        }
        guard trimmed[0] == 0x3B else {
            return nil
        }
        let parameter = ASCII.trimmed(ASCII.slice(trimmed, 1..<trimmed.count))
        guard parameter.count > 2, (parameter[0] | 0x20) == 0x71, parameter[1] == 0x3D else {
            return nil
        }
        return QualityValue.parse(ASCII.slice(parameter, 2..<parameter.count))
    }

    /// Records `weight` unless a lower one was already recorded.
    private static func lower(_ slot: inout Int, to weight: Int) {
        slot = slot < 0 ? weight : min(slot, weight)
    }
}
