/// A listening Unix stream socket and what its connections are served.
struct Listener: Sendable {
    /// What a listener's connections get.
    enum Role: Sendable {
        /// Files beneath a document root.
        case files(DocumentRoot)
        /// The Prometheus metrics page (a socket named `metrics`, SPEC §7.2).
        case metrics
    }

    var descriptor: Int32
    /// The socket's name (`FileDescriptorName=`, `--listen NAME=`), for logs.
    var name: String
    var role: Role

    /// The socket name that selects the metrics role.
    static let metricsName = "metrics"
}
