import Glibc

/// What one lookup gave, comparable across `openat2`, the walk and the tree itself: the object
/// opened (by device and inode) or the errno.
enum LookupResult: Equatable, CustomStringConvertible {
    case opened(device: UInt64, inode: UInt64)
    case failed(Int32)

    init(_ info: stat) {
        self = .opened(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// The result of an open, closing the descriptor it gave.
    init(_ result: (descriptor: Int32, errno: Int32)) {
        guard result.descriptor >= 0 else {
            self = .failed(result.errno)
            return
        }
        var info = stat()
        let status = fstat(result.descriptor, &info)
        self = status == 0 ? LookupResult(info) : .failed(errno)
        close(result.descriptor)
    }

    /// The result with errors grouped as the differential test compares them: not found
    /// (`ENOENT`, `ENOTDIR`), forbidden (`EACCES`, `EPERM`), escape or loop (`EXDEV`, `ELOOP`);
    /// any other errno stands for itself.
    var grouped: LookupResult {
        switch self {
        case .failed(ENOTDIR): .failed(ENOENT)
        case .failed(EPERM): .failed(EACCES)
        case .failed(ELOOP): .failed(EXDEV)
        default: self
        }
    }

    var description: String {
        switch self {
        case .opened(let device, let inode): "opened \(device):\(inode)"
        case .failed(let code): "failed \(code) (\(String(cString: strerror(code))))"
        }
    }
}
