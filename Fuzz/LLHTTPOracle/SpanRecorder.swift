/// The state one llhttp run fills in through its callbacks, reached from the C callbacks
/// through `llhttp_t.data`.
final class SpanRecorder {
    let base: UnsafeRawPointer
    var method: Range<Int>?
    var target: Range<Int>?
    var fields: [(name: Range<Int>, value: Range<Int>)] = []
    var name: Range<Int>?
    var value: Range<Int>?
    /// Set when `on_headers_complete` fired.
    var headersComplete = false

    init(base: UnsafeRawPointer) {
        self.base = base
    }

    /// The span of `count` bytes at `at`; llhttp reports a span in one piece per execute call,
    /// and a piece that follows `span` directly extends it.
    func extend(_ span: Range<Int>?, _ at: UnsafePointer<CChar>?, _ count: Int) -> Range<Int> {
        let start = at.map { UnsafeRawPointer($0) - base } ?? 0
        if let span, span.upperBound == start {
            return span.lowerBound..<start + count
        }
        return start..<start + count
    }

    /// Ends the current field line: llhttp reports no value span for an empty value.
    func endField() {
        let name = name ?? 0..<0
        fields.append((name, value ?? name.upperBound..<name.upperBound))
        self.name = nil
        value = nil
    }
}
