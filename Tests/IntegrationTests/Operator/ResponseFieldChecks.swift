import Testing

/// Checks every operator-feature suite makes of a response: no field twice, no path of the
/// machine in any field or body.
enum ResponseFieldChecks {
    /// Each field name appears at most once (RFC 9110 §5.3: none of the server's fields is a
    /// list it would split over several lines).
    static func expectNoRepeatedField(
        _ response: HTTPResponse, _ context: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        var seen: Set<String> = []
        for field in response.headers {
            let name = field.name.lowercased()
            #expect(
                seen.insert(name).inserted, "\(context): \(field.name) sent twice",
                sourceLocation: sourceLocation)
        }
    }

    /// Neither the head nor the body holds `path` (the document root's absolute path).
    static func expectNoPath(
        _ response: HTTPResponse, _ path: String, _ context: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let head = response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        #expect(
            !head.contains(path), "\(context): head names \(path)", sourceLocation: sourceLocation)
        #expect(
            !response.text.contains(path), "\(context): body names \(path)",
            sourceLocation: sourceLocation)
    }
}
