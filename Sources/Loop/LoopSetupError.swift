import SystemPackage

/// A system call the loop needs at startup failed (`epoll_create1`, `eventfd`, `pthread_create`,
/// registering a listener): the server cannot run.
public struct LoopSetupError: Error, CustomStringConvertible {
    public let description: String

    public init(_ call: String, errno code: Int32) {
        description = "\(call): \(Errno(rawValue: code).description)"
    }
}
