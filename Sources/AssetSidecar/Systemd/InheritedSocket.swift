/// A listening descriptor handed over by the service manager, with its `FileDescriptorName=`.
struct InheritedSocket: Sendable, Equatable {
    var descriptor: Int32
    /// The name from `LISTEN_FDNAMES`, or "unknown" when the manager gave none.
    var name: String
}
