import HTTP1

/// An independent weekday computation (Zeller's congruence) to check `HTTPDate.format`'s day
/// names against, rather than trusting the day count it formats from.
enum Weekday {
    /// The three-letter name of the weekday of a Gregorian date (month 1–12).
    static func name(year: Int, month: Int, day: Int) -> String {
        // January and February count as months 13 and 14 of the year before; 400 years added
        // (a whole number of weeks) keep year 0 from going negative.
        let shiftedYear = (month < 3 ? year - 1 : year) + 400
        let shiftedMonth = month < 3 ? month + 12 : month
        let century = shiftedYear / 100
        let yearOfCentury = shiftedYear % 100
        let h =
            (day + 13 * (shiftedMonth + 1) / 5 + yearOfCentury + yearOfCentury / 4 + century / 4
                + 5 * century) % 7
        return ["Sat", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri"][h]
    }
}
