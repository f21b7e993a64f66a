/// IMF-fixdate (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`: the one form the
/// sidecar may send in `Date` and `Last-Modified`.
enum HTTPDateFormat {
    private static let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// Whether `value` has the exact IMF-fixdate shape (fixed width, names from the RFC's
    /// lists, two-digit fields in range). Does not check that the weekday fits the date.
    static func isIMFFixdate(_ value: String) -> Bool {
        let parts = value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard value.utf8.count == 29, parts.count == 6,
            parts[0].count == 4, parts[0].hasSuffix(","), days.contains(String(parts[0].prefix(3))),
            let day = number(parts[1], digits: 2), (1...31).contains(day),
            months.contains(parts[2]), number(parts[3], digits: 4) != nil,
            parts[5] == "GMT"
        else { return false }
        let clock = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3,
            let hour = number(String(clock[0]), digits: 2), hour < 24,
            let minute = number(String(clock[1]), digits: 2), minute < 60,
            let second = number(String(clock[2]), digits: 2), second < 61
        else { return false }
        return true
    }

    private static func number(_ text: String, digits: Int) -> Int? {
        guard text.utf8.count == digits, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return nil
        }
        return Int(text)
    }
}
