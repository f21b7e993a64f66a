import Files
import Glibc
import HTTP1
import Semantics

/// A file ready to be served: the open file and its header fields, rendered once (behaviour §6.2)
/// and reused by every response for it while it stays unchanged.
public final class Representation: CachedFile {
    public let file: OpenFile
    /// `Content-Type` and `Content-Encoding` lines.
    public let typeLines: [UInt8]
    /// `Content-Encoding` alone (empty for identity), for multipart responses whose
    /// `Content-Type` is `multipart/byteranges`.
    public let encodingLine: [UInt8]
    /// `Content-Length` of the whole file.
    public let lengthLine: [UInt8]
    /// `Last-Modified` and `ETag` lines.
    public let validatorLines: [UInt8]
    /// `Accept-Ranges`.
    public let extraLines: [UInt8]
    /// `Cache-Control`, `Vary` and the `--header` fields: sent with 200, 206 and 304 alike, and
    /// with nothing else.
    public let cachingLines: [UInt8]
    /// `Vary: Accept-Encoding`, on every response for a file (412 and 416 too, behaviour §4.3).
    /// It is sent whether or not variants exist now, so a variant added later can never leave
    /// an earlier response without it.
    public let varyLine: [UInt8]
    /// The coding of this file: identity for the file itself, else a precompressed variant.
    public let encoding: ContentCoding
    /// The precompressed siblings of an identity representation, found when it was opened.
    public var variants: [Representation] = []
    /// The parent directory's change stamp when the variants were looked for: a variant added
    /// or removed later changes it.
    public var directoryStamp: FileSnapshot?
    /// The content type value alone, for multipart parts.
    public let contentType: [UInt8]
    public let validators: Validators
    /// The whole file, when it is small enough to send with the head in one write.
    public let body: [UInt8]?

    /// Files up to this size are kept in memory by the cache.
    public static let inlineLimit: Int64 = 16 << 10

    public var size: Int64 { file.snapshot.size }

    public var snapshot: FileSnapshot { file.snapshot }

    /// Whether this representation or one of its variants has a weak validator (not cached).
    public var hasWeakValidator: Bool {
        validators.isWeak || variants.contains { $0.validators.isWeak }
    }

    /// The variant in `coding`, or self for identity (or an unknown variant).
    public func variant(_ coding: ContentCoding) -> Representation {
        variants.first { $0.encoding == coding } ?? self
    }

    /// The codings available beside this file.
    public var availableCodings: AvailableCodings {
        variants.reduce(into: AvailableCodings()) { $0.insert($1.encoding.available) }
    }

    /// Renders the fields of `file` as seen at `now`: typed by `contentType`, coded by
    /// `encoding`, with an optional `Cache-Control` value and the operator's rendered
    /// `headerLines` (`--header`). With `inline`, small files are read into memory; a read
    /// that comes up short (the file changed meanwhile) leaves the body out.
    public init(
        file: OpenFile, contentType: [UInt8], encoding: ContentCoding, cacheControl: [UInt8]?,
        headerLines: [UInt8] = [], now: Int64, inline: Bool
    ) {
        self.file = file
        self.encoding = encoding
        let snapshot = file.snapshot
        self.contentType = contentType
        var lines: [UInt8] = []
        if encoding != .identity {
            HeadWriter.field("Content-Encoding", encoding.token, into: &lines)
        }
        encodingLine = lines
        lines = []
        HeadWriter.field("Content-Type", bytes: contentType, into: &lines)
        lines.append(contentsOf: encodingLine)
        typeLines = lines
        lines = []
        HeadWriter.field("Content-Length", decimal: snapshot.size, into: &lines)
        lengthLine = lines
        var etag: [UInt8] = []
        let weak = FileETag.appendETag(of: snapshot, now: now, into: &etag)
        lines = []
        ASCII.append("Last-Modified: ", to: &lines)
        HTTPDate.format(snapshot.modifiedSeconds, into: &lines)
        lines.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
        HeadWriter.field("ETag", bytes: etag, into: &lines)
        validatorLines = lines
        lines = []
        HeadWriter.field("Accept-Ranges", "bytes", into: &lines)
        extraLines = lines
        lines = []
        HeadWriter.field("Vary", "Accept-Encoding", into: &lines)
        varyLine = lines
        lines = []
        if let cacheControl { HeadWriter.field("Cache-Control", bytes: cacheControl, into: &lines) }
        lines.append(contentsOf: varyLine)
        lines.append(contentsOf: headerLines)
        cachingLines = lines
        validators = Validators(etag: etag, isWeak: weak, lastModified: snapshot.modifiedSeconds)
        body = inline && snapshot.size <= Self.inlineLimit ? Self.read(file) : nil
    }

    /// The whole file via `pread`, or nil if it did not yield exactly the snapshot's size.
    private static func read(_ file: OpenFile) -> [UInt8]? {
        let size = Int(file.snapshot.size)
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let got = pread(
                    file.descriptor.rawValue, buffer.baseAddress! + done, size - done, off_t(done))
                if got < 0 && errno == EINTR { continue }
                if got <= 0 { break }
                done += got
            }
            complete = done == size
            count = done
        }
        return complete ? bytes : nil
    }
}
