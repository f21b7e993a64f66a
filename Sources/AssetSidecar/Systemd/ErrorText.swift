import Glibc

/// Text for errno values in log lines and startup errors.
enum ErrorText {
    /// `strerror(code)`.
    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
