/// A listening Unix stream socket and the document root its connections are served from.
struct Listener: Sendable {
    var descriptor: Int32
    /// The socket's name (`FileDescriptorName=`, `--listen NAME=`), for logs.
    var name: String
    var root: DocumentRoot
}
