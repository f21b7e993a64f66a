import HTTP1
import Logging
import Loop
import Sendfile

/// HTTP/1.1 on a listener's connections, for one loop: parses each request head and hands it
/// to the listener's ``Application``; maps parse errors to their status; renders the 408 of a
/// header timeout; writes the access log. Per-loop state (the `Date` value, the response
/// sequence, counters) lives here, so nothing is shared between loops.
public final class HTTPHandler: ConnectionHandler {
    public let stats: ResponseStats
    /// How long this listener's responses take, on this loop.
    public let durations: RequestDurations
    let parser: RequestParser
    let application: any Application
    /// The access log, when `--access-log` is on.
    let accessLog: Logger?
    /// The largest `Content-Length` body read and dropped to keep a connection open
    /// (`--max-discard-body`); a larger one closes it after the answer.
    let maxDiscardBody: Int64
    /// The `Date` value and the response sequence (multipart boundaries unique per response),
    /// in one stored property: one access per response.
    private var clock = ResponseClock()

    public init(
        limits: ParserLimits, maxDiscardBody: Int64, application: any Application,
        stats: ResponseStats, accessLog: Logger?, durations: RequestDurations = RequestDurations()
    ) {
        self.maxDiscardBody = maxDiscardBody
        self.durations = durations
        parser = RequestParser(limits: limits)
        self.application = application
        self.stats = stats
        self.accessLog = accessLog
    }

    public func makeSession() -> any ConnectionSession {
        HTTPSession(handler: self)
    }

    public func reload() {
        application.reload()
    }

    /// The context of a response at `moment`, for a request of `version` that allows
    /// keep-alive when `keepAlive`.
    func context(_ moment: LoopMoment, keepAlive: Bool, version: HTTPVersion) -> ResponseContext {
        clock.context(moment, keepAlive: keepAlive, version: version)
    }
}
