/// A listening Unix stream socket, by descriptor and name (`FileDescriptorName=`,
/// `--listen NAME=`, for logs). What its connections get is the handler each loop pairs with it.
public struct Listener: Sendable {
    public var descriptor: Int32
    public var name: String

    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }
}
