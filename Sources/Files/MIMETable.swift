import HTTP1

/// Maps file names to `Content-Type` values (behaviour §4.2): a built-in table of the web's types,
/// with `charset=utf-8` on textual ones, plus operator additions that override it.
///
/// The type is chosen by the extension of the final path segment: the bytes after its last
/// `.`, compared case-insensitively. A name without an extension, ending in `.`, or whose only
/// dot starts it (a dotfile such as `.bashrc`) is `application/octet-stream`, as is any
/// extension the table does not know. Lookups pack the lower-cased extension (at most 16
/// bytes) into two integers and do not allocate.
///
/// Choices worth knowing: `.js`/`.mjs`/`.cjs` are `text/javascript` (RFC 9239); `.ts` is
/// `video/mp2t` (HLS segments, as in nginx's table), not TypeScript, which browsers do not
/// run; `.ico` is `image/x-icon` (nginx); `.svgz` is absent because it would need
/// `Content-Encoding: gzip`. Precompressed variants are typed by the original name.
public struct MIMETable: Sendable {
    /// The type sent when nothing else applies.
    public static let octetStream: [UInt8] = Array("application/octet-stream".utf8)

    /// An operator entry that `init(extra:)` rejected.
    public struct InvalidEntry: Error, Equatable, CustomStringConvertible {
        /// The extension as given.
        public var ext: String
        /// The type as given.
        public var type: String
        /// Why it was rejected.
        public var reason: String

        public var description: String {
            "invalid MIME type entry \(ext)=\(type): \(reason)"
        }
    }

    /// A lower-cased extension of up to 16 bytes packed into two words.
    private struct Key: Hashable, Sendable {
        var low: UInt64
        var high: UInt64

        /// Packs `bytes[range]` lower-cased, or returns nil if the extension is empty, longer
        /// than 16 bytes, or contains a NUL byte (which would alias the padding).
        init?(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) {
            guard !range.isEmpty, range.count <= 16 else {
                return nil
            }
            var low: UInt64 = 0
            var high: UInt64 = 0
            for (position, index) in range.enumerated() {
                let byte = bytes[index]
                guard byte != 0 else {
                    return nil
                }
                let folded = UInt64(byte &- 0x41 < 26 ? byte | 0x20 : byte)
                if position < 8 {
                    low |= folded << UInt64(position * 8)
                } else {
                    high |= folded << UInt64((position - 8) * 8)
                }
            }
            self.low = low
            self.high = high
        }

        /// Packs a string's UTF-8 bytes (table construction only).
        init?(_ string: String) {
            let utf8 = Array(string.utf8)
            guard let key = utf8.withUnsafeBytes({ Key($0, 0..<$0.count) }) else {
                return nil
            }
            self = key
        }
    }

    private let types: [Key: [UInt8]]

    /// The built-in table only.
    public init() {
        types = MIMETable.builtIn
    }

    /// The built-in table with `extra` entries added; an entry for an extension the table
    /// already has replaces it, and later entries replace earlier ones.
    ///
    /// An extension may be given with or without its leading `.`; it must be 1 to 16 visible
    /// ASCII characters other than `.` and `/`. A type must be a valid `media-type`
    /// (RFC 9110 §8.3.1: `type "/" subtype *( OWS ";" OWS parameter )`, tokens and quoted
    /// strings) and is sent exactly as given: add `; charset=utf-8` yourself for text.
    public init(extra: [(ext: String, type: String)]) throws(InvalidEntry) {
        var types = MIMETable.builtIn
        for (ext, type) in extra {
            let name = ext.hasPrefix(".") ? String(ext.dropFirst()) : ext
            let validName = name.utf8.allSatisfy { byte in
                byte > 0x20 && byte < 0x7F && byte != 0x2E && byte != 0x2F
            }
            guard validName, let key = Key(name) else {
                throw InvalidEntry(
                    ext: ext, type: type,
                    reason:
                        "the extension must be 1 to 16 visible ASCII characters without '.' or '/'")
            }
            let value = Array(type.utf8)
            guard MIMETable.isMediaType(value) else {
                throw InvalidEntry(
                    ext: ext, type: type,
                    reason: "the type must be type/subtype with optional ;name=value parameters")
            }
            types[key] = value
        }
        self.types = types
    }

    /// The `Content-Type` value for the file named by `name` (a name or a path; only the
    /// final segment counts).
    public func contentType(forName name: UnsafeRawBufferPointer) -> [UInt8] {
        var dot = -1
        var index = name.count
        while index > 0 {
            index -= 1
            let byte = name[index]
            if byte == 0x2F {
                break
            }
            if byte == 0x2E {
                dot = index
                break
            }
        }
        // No dot in the final segment, or the segment starts with its only dot (".bashrc").
        guard dot > 0, name[dot - 1] != 0x2F,
            let key = Key(name, (dot + 1)..<name.count)
        else {
            return MIMETable.octetStream
        }
        return types[key] ?? MIMETable.octetStream
    }

    /// `media-type = type "/" subtype parameters` (RFC 9110 §8.3.1), with
    /// `parameters = *( OWS ";" OWS [ parameter ] )`, `parameter = token "=" ( token /
    /// quoted-string )`.
    public static func isMediaType(_ value: [UInt8]) -> Bool {
        var index = 0
        func token() -> Bool {
            let start = index
            while index < value.count, ASCII.isTokenChar(value[index]) {
                index += 1
            }
            return index > start
        }
        func whitespace() {
            while index < value.count, ASCII.isWhitespace(value[index]) {
                index += 1
            }
        }
        func quotedString() -> Bool {
            guard index < value.count, value[index] == 0x22 else {
                return false
            }
            index += 1
            while index < value.count {
                let byte = value[index]
                if byte == 0x22 {
                    index += 1
                    return true
                }
                if byte == 0x5C {
                    // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                    index += 1
                    guard index < value.count, value[index] == 0x09 || value[index] >= 0x20,
                        value[index] != 0x7F
                    else {
                        return false
                    }
                } else if !(byte == 0x09 || byte >= 0x20) || byte == 0x7F {
                    return false
                }
                index += 1
            }
            return false
        }
        guard token(), index < value.count, value[index] == 0x2F else {
            return false
        }
        index += 1
        guard token() else {
            return false
        }
        while true {
            whitespace()
            guard index < value.count else {
                return true
            }
            guard value[index] == 0x3B else {
                return false
            }
            index += 1
            whitespace()
            guard index < value.count, value[index] != 0x3B else {
                continue
            }
            guard token(), index < value.count, value[index] == 0x3D else {
                return false
            }
            index += 1
            guard token() || quotedString() else {
                return false
            }
        }
    }

    /// The built-in entries, keyed by packed extension.
    private static let builtIn: [Key: [UInt8]] = {
        var table: [Key: [UInt8]] = [:]
        for (extensions, type, isText) in entries {
            var value = Array(type.utf8)
            if isText {
                value.append(contentsOf: "; charset=utf-8".utf8)
            }
            for ext in extensions.split(separator: " ") {
                guard let key = Key(String(ext)) else {
                    preconditionFailure("bad built-in extension \(ext)")
                }
                table[key] = value
            }
        }
        return table
    }()

    /// (space-separated extensions, media type, textual: gets `; charset=utf-8`).
    private static let entries: [(String, String, Bool)] = [
        // Documents and text.
        ("html htm shtml", "text/html", true),
        ("xhtml xht", "application/xhtml+xml", true),
        ("css", "text/css", true),
        ("js mjs cjs", "text/javascript", true),
        ("json map", "application/json", true),
        ("jsonld", "application/ld+json", true),
        ("geojson", "application/geo+json", true),
        ("webmanifest", "application/manifest+json", true),
        ("xml xsl xsd", "application/xml", true),
        ("rss", "application/rss+xml", true),
        ("atom", "application/atom+xml", true),
        ("svg", "image/svg+xml", true),
        ("txt text log", "text/plain", true),
        ("md markdown", "text/markdown", true),
        ("csv", "text/csv", true),
        ("tsv", "text/tab-separated-values", true),
        ("ics", "text/calendar", true),
        ("vtt", "text/vtt", true),
        ("yaml yml", "application/yaml", true),
        ("m3u8", "application/vnd.apple.mpegurl", true),
        ("mpd", "application/dash+xml", true),
        // Code and binary application data.
        ("wasm", "application/wasm", false),
        ("pdf", "application/pdf", false),
        ("epub", "application/epub+zip", false),
        ("rtf", "application/rtf", false),
        // Images.
        ("png", "image/png", false),
        ("apng", "image/apng", false),
        ("jpg jpeg jpe jfif", "image/jpeg", false),
        ("gif", "image/gif", false),
        ("webp", "image/webp", false),
        ("avif", "image/avif", false),
        ("jxl", "image/jxl", false),
        ("ico cur", "image/x-icon", false),
        ("bmp", "image/bmp", false),
        ("tif tiff", "image/tiff", false),
        // Fonts.
        ("woff", "font/woff", false),
        ("woff2", "font/woff2", false),
        ("ttf", "font/ttf", false),
        ("otf", "font/otf", false),
        ("eot", "application/vnd.ms-fontobject", false),
        // Audio.
        ("mp3", "audio/mpeg", false),
        ("ogg oga opus", "audio/ogg", false),
        ("flac", "audio/flac", false),
        ("wav", "audio/wav", false),
        ("m4a", "audio/mp4", false),
        ("aac", "audio/aac", false),
        ("weba", "audio/webm", false),
        ("mid midi", "audio/midi", false),
        // Video.
        ("mp4 m4v", "video/mp4", false),
        ("webm", "video/webm", false),
        ("ogv", "video/ogg", false),
        ("mov", "video/quicktime", false),
        ("mkv", "video/x-matroska", false),
        ("ts", "video/mp2t", false),
        // Archives and compressed files.
        ("zip", "application/zip", false),
        ("gz tgz", "application/gzip", false),
        ("tar", "application/x-tar", false),
        ("7z", "application/x-7z-compressed", false),
        ("br", "application/x-brotli", false),
        ("zst", "application/zstd", false),
        ("bz2", "application/x-bzip2", false),
        ("xz", "application/x-xz", false),
    ]
}
