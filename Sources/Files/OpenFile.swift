import Glibc
import SystemPackage

/// An open regular file shared by the file cache and the responses reading from it: the
/// descriptor is closed when the last holder lets go, never under an in-flight `sendfile`.
public final class OpenFile {
    public let descriptor: FileDescriptor
    /// The metadata from the `fstat` of this descriptor that the response was built from.
    public let snapshot: FileSnapshot

    public init(descriptor: FileDescriptor, snapshot: FileSnapshot) {
        self.descriptor = descriptor
        self.snapshot = snapshot
    }

    deinit {
        close(descriptor.rawValue)
    }
}
