import FuzzSupport
import HTTP1

/// libFuzzer target for `HTTPDate.parse` and `HTTPDate.format` (RFC 9110 §5.6.7).
///
/// The input is parsed as a field value against three clocks (1994, 2025 and 2100, which place
/// RFC 850 two-digit years differently). Whatever parses must:
/// - parse the same again;
/// - lie in the range an IMF-fixdate can express, except the leap second 9999-12-31T23:59:60,
///   which reads as the first second of year 10000 (not formatted here: `format` clamps);
/// - format to an IMF-fixdate whose weekday is right and which parses back to the same value;
/// - when the input was an IMF-fixdate with a valid second below 60, format to the same text
///   from the day of the month on (the weekday an input names is not checked by `parse`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPDate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzCheck.input(data, size)
    for now: Int64 in [784_111_777, 1_764_000_000, 4_102_444_800] {
        guard let seconds = HTTPDate.parse(input, now: now) else { continue }
        FuzzCheck.require(HTTPDate.parse(input, now: now) == seconds, "parse not deterministic")
        if seconds == HTTPDate.latest + 1 {
            continue
        }
        FuzzCheck.require(
            seconds >= HTTPDate.earliest && seconds <= HTTPDate.latest, "\(seconds) out of range")
        var formatted: [UInt8] = []
        HTTPDate.format(seconds, into: &formatted)
        checkFixdate(formatted)
        let again = formatted.withUnsafeBytes { HTTPDate.parse($0, now: now) }
        FuzzCheck.require(
            again == seconds, "\(seconds) formats to a date that parses to \(again ?? -1)")
        if input.count == HTTPDate.fixdateLength, input[3] == UInt8(ascii: ","),
            input[23] != UInt8(ascii: "6")
        {
            FuzzCheck.require(
                formatted[5...].elementsEqual(input[5...]), "fixdate reformatted differently")
        }
    }
    return 0
}

/// Checks that `formatted` is a 29-byte IMF-fixdate naming the right weekday.
private func checkFixdate(_ formatted: [UInt8]) {
    FuzzCheck.require(
        formatted.count == HTTPDate.fixdateLength, "fixdate of \(formatted.count) bytes")
    let text = String(decoding: formatted, as: UTF8.self)
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    guard let day = Int(text.dropFirst(5).prefix(2)), let year = Int(text.dropFirst(12).prefix(4)),
        let month = months.firstIndex(of: String(text.dropFirst(8).prefix(3)))
    else { FuzzCheck.fail("unreadable fixdate \(text)") }
    let weekday = Weekday.name(year: year, month: month + 1, day: day)
    FuzzCheck.require(text.hasPrefix(weekday + ", "), "\(text) is a \(weekday)")
}

FuzzDriver.run(fuzzHTTPDate)
