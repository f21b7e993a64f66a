import HTTP1
import Sendfile

/// What answers parsed requests behind an ``HTTPHandler``: the files of a site, or the metrics
/// page. One per loop and listener, touched only by that loop's thread.
public protocol Application: AnyObject {
    /// Answers `request`, whose fields point into `bytes`: renders the head into `exchange`
    /// and appends the response's segments to `transfer`.
    func respond(
        to request: RequestHead, in bytes: UnsafeRawBufferPointer, context: ResponseContext,
        exchange: inout Exchange, transfer: inout Transfer)
    /// SIGHUP: drop whatever is cached.
    func reload()
}
