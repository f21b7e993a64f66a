/// One scrape of the Prometheus text exposition (format 0.0.4) the sidecar serves on its
/// `metrics` socket: every sample line, keyed by series (`name{labels}` exactly as written).
struct MetricsSample: Sendable, CustomStringConvertible {
    /// The page as received.
    let text: String
    /// Each series' value.
    let values: [String: Double]

    /// Parses `text`; throws on a line that is neither a comment, empty, nor `SERIES VALUE`.
    init(text: String) throws {
        self.text = text
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true)
        where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "),
                let value = Double(line[line.index(after: space)...])
            else { throw SupportError.unavailable("not a Prometheus sample line: \(line)") }
            values[String(line[..<space])] = value
        }
        self.values = values
    }

    var description: String { text }

    /// The value of `series` (e.g. `asset_sidecar_responses_total{code="200"}`); 0 when the
    /// page does not have it.
    subscript(series: String) -> Double {
        values[series] ?? 0
    }

    /// `asset_sidecar_responses_total{code="CODE"}`.
    func responses(_ code: Int) -> Double {
        self["asset_sidecar_responses_total{code=\"\(code)\"}"]
    }

    /// How much each series grew from `earlier` to this sample.
    func delta(_ series: String, since earlier: MetricsSample) -> Double {
        self[series] - earlier[series]
    }
}
