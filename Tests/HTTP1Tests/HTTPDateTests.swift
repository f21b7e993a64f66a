import TestSupport
import Testing

@testable import HTTP1

/// RFC 9110 §5.6.7 dates: the three formats, the calendar, and out-of-range fields.
@Suite("HTTPDate")
struct HTTPDateTests {
    /// 2025-06-01T00:00:00Z, the "now" of the RFC 850 tests.
    private static let now2025: Int64 = 1_748_736_000

    private func parse(_ text: String, now: Int64 = now2025) -> Int64? {
        Array(text.utf8).withUnsafeBytes { HTTPDate.parse($0, now: now) }
    }

    /// Seconds and IMF-fixdates from Python's `email.utils.formatdate(usegmt=True)`.
    @Test(
        "formats as an independent implementation does",
        arguments: [
            (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
            (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
            (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),
            (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
            (951_868_799, "Tue, 29 Feb 2000 23:59:59 GMT"),
            (946_684_799, "Fri, 31 Dec 1999 23:59:59 GMT"),
            (946_684_800, "Sat, 01 Jan 2000 00:00:00 GMT"),
            (4_107_456_000, "Sun, 28 Feb 2100 00:00:00 GMT"),
            (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 GMT"),
            (4_102_444_800, "Fri, 01 Jan 2100 00:00:00 GMT"),
            (-2_203_891_200, "Thu, 01 Mar 1900 00:00:00 GMT"),
            (-11_670_998_400, "Tue, 29 Feb 1600 00:00:00 GMT"),
            (-11_670_912_001, "Tue, 29 Feb 1600 23:59:59 GMT"),
            (2_147_483_647, "Tue, 19 Jan 2038 03:14:07 GMT"),
            (2_147_483_648, "Tue, 19 Jan 2038 03:14:08 GMT"),
            (1_709_164_800, "Thu, 29 Feb 2024 00:00:00 GMT"),
            (1_234_567_890, "Fri, 13 Feb 2009 23:31:30 GMT"),
            (-62_135_596_800, "Mon, 01 Jan 0001 00:00:00 GMT"),
            (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
        ] as [(Int64, String)])
    func formats(_ seconds: Int64, _ expected: String) {
        #expect(HTTPDate.string(seconds) == expected)
        #expect(parse(expected) == seconds)
    }

    @Test func formatAppends() {
        var output = Array("Date: ".utf8)
        HTTPDate.format(784_111_777, into: &output)
        #expect(String(decoding: output, as: UTF8.self) == "Date: Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test func formatClampsToFourDigitYears() {
        #expect(HTTPDate.string(.max) == "Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(HTTPDate.string(.min) == "Sat, 01 Jan 0000 00:00:00 GMT")
        #expect(HTTPDate.string(HTTPDate.latest + 1) == HTTPDate.string(HTTPDate.latest))
    }

    @Test(
        "parses the three formats of RFC 9110 §5.6.7",
        arguments: [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun Nov 06 08:49:37 1994",
            // The weekday is not checked against the date.
            "Mon, 06 Nov 1994 08:49:37 GMT",
            "Wednesday, 06-Nov-94 08:49:37 GMT",
            "Sat Nov  6 08:49:37 1994",
        ])
    func parsesFormats(_ text: String) {
        #expect(parse(text) == 784_111_777)
    }

    @Test func everyLongDayName() {
        for name in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] {
            #expect(parse("\(name), 06-Nov-94 08:49:37 GMT") == 784_111_777, "\(name)")
        }
    }

    @Test func everyMonth() {
        let months = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        for (index, month) in months.enumerated() {
            let seconds = parse("Thu, 01 \(month) 2015 00:00:00 GMT")
            let expected = HTTPDate.days(fromCivil: 2015, index + 1, 1) * 86_400
            #expect(seconds == expected, "\(month)")
        }
    }

    /// RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is in the previous century.
    @Test(
        "RFC 850 two-digit years",
        arguments: [
            (now2025, "75", 3_313_526_400),  // 2075: 50 years ahead
            (now2025, "76", 189_302_400),  // 1976
            (now2025, "24", 1_704_067_200),  // 2024
            (now2025, "00", 946_684_800),  // 2000
            (4_083_955_200, "00", 4_102_444_800),  // in 2099: 2100
            (4_083_955_200, "49", 5_648_745_600),  // in 2099: 2149
            (4_083_955_200, "50", 2_524_608_000),  // in 2099: 2050
        ] as [(Int64, String, Int64)])
    func twoDigitYears(_ now: Int64, _ year: String, _ expected: Int64) {
        #expect(parse("Friday, 01-Jan-\(year) 00:00:00 GMT", now: now) == expected)
    }

    @Test func leapSecondReadsAsTheNextMidnight() {
        #expect(parse("Thu, 31 Dec 1998 23:59:60 GMT") == 915_148_800)
    }

    @Test(
        "rejects",
        arguments: [
            "",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 06 Nov 1994 08:49:61 GMT",
            "Sun, 06 Nov 1994 08:49:60 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Thu, 29 Feb 1900 00:00:00 GMT",
            "Mon, 29 Feb 2100 00:00:00 GMT",
            "Wed, 29 Feb 2023 00:00:00 GMT",
            "Thu, 30 Feb 2024 00:00:00 GMT",
            "sun, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "SUN, 06 NOV 1994 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Nov 1994 08:49:37 gmt",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT ",
            " Sun, 06 Nov 1994 08:49:37 GMT",
            "Sun,  06 Nov 1994 08:49:37 GMT",
            "Sun, 06-Nov-1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08.49.37 GMT",
            "Sun, 0x Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 199x 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 UTC",
            "Sonday, 06-Nov-94 08:49:37 GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sunday, 06 Nov 94 08:49:37 GMT",
            "Sunday, 31-Apr-94 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun Nov 6 08:49:37 1994",
            "Sun Nov  6 08:49:37 94",
            "Sun Nov  6 08:49:37 1994 ",
            "Sun Nov 31 08:49:37 1994",
            "Sun Nov  6 25:49:37 1994",
            "Sun Nov  0 08:49:37 1994",
            "Sun Nov  6 08:49:37 GMT 1994",
            "1994-11-06T08:49:37Z",
            "784111777",
        ])
    func rejects(_ text: String) {
        #expect(parse(text) == nil)
    }

    @Test func rejectsNonASCIIAndControlBytes() {
        var bytes = Array("Sun, 06 Nov 1994 08:49:37 GMT".utf8)
        for index in bytes.indices {
            let saved = bytes[index]
            for byte: UInt8 in [0, 0x0D, 0x80, 0xFF] {
                bytes[index] = byte
                #expect(bytes.withUnsafeBytes { HTTPDate.parse($0, now: 0) } == nil)
            }
            bytes[index] = saved
        }
    }

    /// `days(fromCivil:)` and `civil(fromDays:)` are inverse over ten thousand years, and day
    /// numbers advance by one a day through every month length and leap rule.
    @Test func calendarRoundTrip() {
        var expected = HTTPDate.days(fromCivil: 0, 1, 1)
        var mismatches: [String] = []
        for year in Int64(0)...9999 {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            for month in 1...12 {
                for day in 1...lengths[month - 1] {
                    let days = HTTPDate.days(fromCivil: year, month, day)
                    let civil = HTTPDate.civil(fromDays: days)
                    if days != expected || civil != (year, month, day) {
                        mismatches.append("\(year)-\(month)-\(day)")
                    }
                    expected += 1
                }
            }
        }
        #expect(mismatches.isEmpty)
        #expect(HTTPDate.days(fromCivil: 1970, 1, 1) == 0)
    }

    /// Formatting then parsing gives the same second, for times spread over all four-digit
    /// years and packed around the leap days of 1900, 2000 and 2100.
    @Test func formatParseRoundTrip() {
        var random = SplitMix64(state: 1994)
        var samples: [Int64] = (0..<20_000).map { _ in
            Int64.random(in: HTTPDate.earliest...HTTPDate.latest, using: &random)
        }
        for year: Int64 in [1900, 2000, 2100, 2024, 1970] {
            let leapDay = HTTPDate.days(fromCivil: year, 2, 28) * 86_400
            samples += stride(from: leapDay - 86_400, to: leapDay + 3 * 86_400, by: 3_599)
        }
        for seconds in samples {
            let text = HTTPDate.string(seconds)
            #expect(text.utf8.count == 29)
            #expect(parse(text) == seconds, "\(text)")
        }
    }
}
