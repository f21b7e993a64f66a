#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// HTTP-date (RFC 9110 §5.6.7) formatting and parsing, on seconds since the Unix epoch, using
/// the proleptic Gregorian calendar (days-from-civil and civil-from-days); no Foundation.
public enum HTTPDate {
    /// The length of an IMF-fixdate.
    public static let fixdateLength = 29

    /// The earliest time an IMF-fixdate's four-digit year can express: 0000-01-01T00:00:00Z.
    public static let earliest: Int64 = -62_167_219_200
    /// The latest time an IMF-fixdate's four-digit year can express: 9999-12-31T23:59:59Z.
    public static let latest: Int64 = 253_402_300_799

    private static let secondsPerDay: Int64 = 86_400
    private static let dayNames: StaticString = "SunMonTueWedThuFriSat"
    private static let monthNames: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec"

    /// Appends the IMF-fixdate for `seconds` since the epoch (29 bytes, e.g.
    /// "Sun, 06 Nov 1994 08:49:37 GMT"). Times outside `earliest...latest` are clamped to it.
    public static func format(_ seconds: Int64, into output: inout [UInt8]) {
        let seconds = min(max(seconds, earliest), latest)
        let (days, secondOfDay) = floorDivision(seconds, secondsPerDay)
        let (year, month, day) = civil(fromDays: days)
        // 1970-01-01 was a Thursday (4).
        let weekday = Int(floorDivision(days + 4, 7).remainder)

        output.reserveCapacity(output.count + fixdateLength)
        appendName(dayNames, weekday, to: &output)
        output.append(UInt8(ascii: ","))
        output.append(UInt8(ascii: " "))
        appendDigits(day, count: 2, to: &output)
        output.append(UInt8(ascii: " "))
        appendName(monthNames, month - 1, to: &output)
        output.append(UInt8(ascii: " "))
        appendDigits(Int(year), count: 4, to: &output)
        output.append(UInt8(ascii: " "))
        appendDigits(Int(secondOfDay / 3600), count: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        appendDigits(Int(secondOfDay / 60 % 60), count: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        appendDigits(Int(secondOfDay % 60), count: 2, to: &output)
        output.append(UInt8(ascii: " "))
        output.append(UInt8(ascii: "G"))
        output.append(UInt8(ascii: "M"))
        output.append(UInt8(ascii: "T"))
    }

    /// The IMF-fixdate for `seconds` since the epoch, as a `String`.
    public static func string(_ seconds: Int64) -> String {
        var bytes: [UInt8] = []
        format(seconds, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses an HTTP-date in any of RFC 9110 §5.6.7's three formats, reading the wall clock to
    /// place an RFC 850 date's two-digit year (see `parse(_:now:)`).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        parse(bytes, now: Int64(time(nil)))
    }

    /// Parses an HTTP-date in any of RFC 9110 §5.6.7's three formats: IMF-fixdate
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form
    /// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`). Returns nil
    /// for anything else, including surrounding whitespace and an out-of-range field (hour 24,
    /// day 32, Feb 29 of a common year, …).
    ///
    /// - Names are case-sensitive, as RFC 9110 says. The weekday must be a valid name but is not
    ///   checked against the date: senders that get it wrong still mean the date they wrote.
    /// - Second 60 is accepted only in 23:59:60 (a leap second), and reads as the next midnight.
    /// - An RFC 850 two-digit year is the year with those last digits that is at most 50 years
    ///   after `now` (seconds since the epoch); a later one is taken from the previous century.
    public static func parse(_ bytes: UnsafeRawBufferPointer, now: Int64) -> Int64? {
        guard bytes.count >= 24 else { return nil }
        if bytes[3] == UInt8(ascii: ",") {
            return parseFixdate(bytes)
        }
        if bytes[3] == UInt8(ascii: " ") {
            return parseAsctime(bytes)
        }
        return parseRFC850(bytes, now: now)
    }

    // MARK: - Formats

    /// `Sun, 06 Nov 1994 08:49:37 GMT`
    private static func parseFixdate(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count == fixdateLength, nameIndex(dayNames, bytes, at: 0) != nil,
            bytes[4] == UInt8(ascii: " "), let day = number(bytes, at: 5, count: 2),
            bytes[7] == UInt8(ascii: " "), let month = nameIndex(monthNames, bytes, at: 8),
            bytes[11] == UInt8(ascii: " "), let year = number(bytes, at: 12, count: 4),
            bytes[16] == UInt8(ascii: " "), let time = timeOfDay(bytes, at: 17),
            matches(bytes, at: 25, " GMT")
        else { return nil }
        return timestamp(year: Int64(year), month: month + 1, day: day, time: time)
    }

    /// `Sun Nov  6 08:49:37 1994` (the day may also be two digits).
    private static func parseAsctime(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count == 24, nameIndex(dayNames, bytes, at: 0) != nil,
            let month = nameIndex(monthNames, bytes, at: 4), bytes[7] == UInt8(ascii: " ")
        else { return nil }
        let day: Int?
        if bytes[8] == UInt8(ascii: " ") {
            day = number(bytes, at: 9, count: 1)
        } else {
            day = number(bytes, at: 8, count: 2)
        }
        guard let day, bytes[10] == UInt8(ascii: " "), let time = timeOfDay(bytes, at: 11),
            bytes[19] == UInt8(ascii: " "), let year = number(bytes, at: 20, count: 4)
        else { return nil }
        return timestamp(year: Int64(year), month: month + 1, day: day, time: time)
    }

    /// `Sunday, 06-Nov-94 08:49:37 GMT`
    private static func parseRFC850(_ bytes: UnsafeRawBufferPointer, now: Int64) -> Int64? {
        let start = bytes.count - 24
        let isDayName =
            switch start {
            case 6:
                matches(bytes, at: 0, "Sunday") || matches(bytes, at: 0, "Monday")
                    || matches(bytes, at: 0, "Friday")
            case 7: matches(bytes, at: 0, "Tuesday")
            case 8: matches(bytes, at: 0, "Thursday") || matches(bytes, at: 0, "Saturday")
            case 9: matches(bytes, at: 0, "Wednesday")
            default: false
            }
        guard isDayName, matches(bytes, at: start, ", "),
            let day = number(bytes, at: start + 2, count: 2),
            bytes[start + 4] == UInt8(ascii: "-"),
            let month = nameIndex(monthNames, bytes, at: start + 5),
            bytes[start + 8] == UInt8(ascii: "-"),
            let twoDigitYear = number(bytes, at: start + 9, count: 2),
            bytes[start + 11] == UInt8(ascii: " "), let time = timeOfDay(bytes, at: start + 12),
            matches(bytes, at: start + 20, " GMT")
        else { return nil }
        let currentYear = civil(fromDays: floorDivision(now, secondsPerDay).quotient).year
        let ahead = (Int64(twoDigitYear) - currentYear % 100 + 200) % 100
        let year = currentYear + (ahead <= 50 ? ahead : ahead - 100)
        return timestamp(year: year, month: month + 1, day: day, time: time)
    }

    // MARK: - Fields

    /// `hour ":" minute ":" second` at `index`, as seconds into the day.
    private static func timeOfDay(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int64? {
        guard let hour = number(bytes, at: index, count: 2), hour < 24,
            bytes[index + 2] == UInt8(ascii: ":"),
            let minute = number(bytes, at: index + 3, count: 2), minute < 60,
            bytes[index + 5] == UInt8(ascii: ":"),
            let second = number(bytes, at: index + 6, count: 2),
            second < 60 || (second == 60 && hour == 23 && minute == 59)
        else { return nil }
        return Int64(hour * 3600 + minute * 60 + second)
    }

    /// The seconds since the epoch of a validated time on a date that is checked here.
    private static func timestamp(year: Int64, month: Int, day: Int, time: Int64) -> Int64? {
        guard day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        return days(fromCivil: year, month, day) * secondsPerDay + time
    }

    /// `count` decimal digits at `index`.
    private static func number(_ bytes: UnsafeRawBufferPointer, at index: Int, count: Int) -> Int? {
        var value = 0
        for offset in 0..<count {
            let digit = bytes[index + offset] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// The index of the three-letter name at `index` in `names` (three letters each).
    private static func nameIndex(
        _ names: StaticString, _ bytes: UnsafeRawBufferPointer, at index: Int
    ) -> Int? {
        let table = UnsafeRawBufferPointer(start: names.utf8Start, count: names.utf8CodeUnitCount)
        for name in 0..<table.count / 3
        where table[3 * name] == bytes[index] && table[3 * name + 1] == bytes[index + 1]
            && table[3 * name + 2] == bytes[index + 2]
        {
            return name
        }
        return nil
    }

    private static func matches(
        _ bytes: UnsafeRawBufferPointer, at index: Int, _ text: StaticString
    ) -> Bool {
        guard bytes.count - index >= text.utf8CodeUnitCount else { return false }
        for offset in 0..<text.utf8CodeUnitCount
        where bytes[index + offset] != text.utf8Start[offset] {
            return false
        }
        return true
    }

    private static func appendName(_ names: StaticString, _ index: Int, to output: inout [UInt8]) {
        for offset in 0..<3 {
            output.append(names.utf8Start[3 * index + offset])
        }
    }

    private static func appendDigits(_ value: Int, count: Int, to output: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count {
            divisor *= 10
        }
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    // MARK: - Calendar

    private static func floorDivision(
        _ value: Int64, _ divisor: Int64
    ) -> (quotient: Int64, remainder: Int64) {
        let remainder = value % divisor
        return remainder < 0
            ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    private static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysIn(month: Int, year: Int64) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a date. Counts in 400-year eras of 146 097 days, each starting
    /// on March 1st so that the leap day ends the year.
    public static func days(fromCivil year: Int64, _ month: Int, _ day: Int) -> Int64 {
        let marchYear = month <= 2 ? year - 1 : year
        let era = floorDivision(marchYear, 400).quotient
        let yearOfEra = marchYear - era * 400
        let monthFromMarch = Int64(month <= 2 ? month + 9 : month - 3)
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        // 719 468 days separate 0000-03-01 from 1970-01-01.
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day since 1970-01-01; the inverse of `days(fromCivil:_:_:)`.
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivision(shifted, 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1)
        let month = Int(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
