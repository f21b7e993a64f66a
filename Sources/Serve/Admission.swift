import HTTP1
import Sendfile

/// The first stage of every request: only a bodiless GET or HEAD goes on.
public enum Admission {
    /// behaviour §2.1 and §2.4: answers anything but a bodiless GET or HEAD (405, 501, 413) and
    /// returns false; true means go on. A body is never used: the session has it dropped
    /// after the answer, or closes the connection (its `context.keepAlive` is then false), so
    /// its bytes can never be taken for a next request (RFC 9112 §6.3), whatever the method.
    public static func admit(
        _ request: RequestHead, _ context: ResponseContext, _ exchange: inout Exchange,
        _ transfer: inout Transfer
    ) -> Bool {
        let hasBody = (request.contentLength ?? 0) > 0 || request.transferEncoding != .none
        exchange.closeAfter = !context.keepAlive
        let refusal: Status
        switch request.method {
        case .get, .head:
            guard hasBody else { return true }
            refusal = .contentTooLarge
        case .known:
            refusal = .methodNotAllowed
        case .unknown:
            refusal = .notImplemented
        }
        ResponseRenderer.error(refusal, method: request.method, context, &exchange, &transfer)
        return false
    }
}
