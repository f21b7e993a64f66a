import HTTP1
import Semantics

/// What a request for a representation gets, decided before anything is rendered.
enum ResponsePlan {
    /// 200 with the whole representation; the body only for GET.
    case whole(Representation, sendBody: Bool)
    /// 206 with one range.
    case partial(Representation, ByteSpan)
    /// 206 `multipart/byteranges`.
    case multipart(Representation, [ByteSpan])
    /// 304.
    case notModified(Representation)
    /// 412 or 416, with the extra field lines the status carries.
    case refused(Status, extraLines: [UInt8])
}
