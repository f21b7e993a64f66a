import Glibc

/// A file ready to be served: the open file and its header fields, rendered once (SPEC §6.2)
/// and reused by every response for it while it stays unchanged.
final class Representation {
    let file: OpenFile
    /// `Content-Type` (and later `Content-Encoding`) lines.
    let typeLines: [UInt8]
    /// `Content-Length` of the whole file.
    let lengthLine: [UInt8]
    /// `Last-Modified` and `ETag` lines.
    let validatorLines: [UInt8]
    /// `Accept-Ranges` (and caching) lines.
    let extraLines: [UInt8]
    /// The content type value alone, for multipart parts.
    let contentType: [UInt8]
    let validators: Validators
    /// The whole file, when it is small enough to send with the head in one write.
    let body: [UInt8]?

    /// Files up to this size are kept in memory by the cache.
    static let inlineLimit: Int64 = 16 << 10

    var size: Int64 { file.snapshot.size }

    /// Renders the fields of `file`, named `name` (its final path segment), as seen at `now`.
    /// With `inline`, small files are read into memory; a read that comes up short (the file
    /// changed meanwhile) leaves the body out.
    init(file: OpenFile, name: UnsafeRawBufferPointer, mime: MIMETable, now: Int64, inline: Bool) {
        self.file = file
        let snapshot = file.snapshot
        contentType = mime.contentType(forName: name)
        var lines: [UInt8] = []
        HeadWriter.field("Content-Type", bytes: contentType, into: &lines)
        typeLines = lines
        lines = []
        HeadWriter.field("Content-Length", decimal: snapshot.size, into: &lines)
        lengthLine = lines
        var etag: [UInt8] = []
        let weak = FileValidators.appendETag(of: snapshot, now: now, into: &etag)
        lines = []
        HeadWriter.append("Last-Modified: ", into: &lines)
        HTTPDate.format(snapshot.modifiedSeconds, into: &lines)
        lines.append(contentsOf: [13, 10])
        HeadWriter.field("ETag", bytes: etag, into: &lines)
        validatorLines = lines
        lines = []
        HeadWriter.field("Accept-Ranges", "bytes", into: &lines)
        extraLines = lines
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
