import Glibc

/// The standard `process_*` metrics of the Prometheus client libraries, read from `/proc/self`
/// at scrape time (off the request path): CPU seconds, resident memory, open and most
/// descriptors, start time. A value that cannot be read is left out of the page.
struct ProcessSample {
    var cpuSeconds: Double?
    var residentBytes: Int64?
    var openDescriptors: Int?
    var maxDescriptors: Int?
    var startTimeSeconds: Double?

    /// Reads the running process.
    static func current() -> ProcessSample {
        var sample = ProcessSample()
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        // /proc/self/stat: the fields after the command's closing `)` start at field 3 (state);
        // utime and stime are fields 14 and 15, starttime 22 (proc(5)).
        if let stat = text("/proc/self/stat"), let close = stat.lastIndex(of: ")"), ticks > 0 {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 19, let user = Double(fields[11]), let system = Double(fields[12]) {
                sample.cpuSeconds = (user + system) / ticks
                if let start = Double(fields[19]), let boot = bootTime() {
                    sample.startTimeSeconds = boot + start / ticks
                }
            }
        }
        // /proc/self/statm: size, then resident, in pages.
        if let statm = text("/proc/self/statm") {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = Int64(fields[1]) {
                sample.residentBytes = pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
            }
        }
        sample.openDescriptors = openDescriptorCount()
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            sample.maxDescriptors = limit.rlim_cur == rlim_t.max ? nil : Int(limit.rlim_cur)
        }
        return sample
    }

    /// `btime` of /proc/stat: the boot time in seconds since the epoch.
    private static func bootTime() -> Double? {
        guard let stat = text("/proc/stat") else { return nil }
        for line in stat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6))
        }
        return nil
    }

    /// Entries of /proc/self/fd, less the one the listing itself holds open.
    private static func openDescriptorCount() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { $0.first }
            if name != UInt8(ascii: ".") { count += 1 }
        }
        return count - 1
    }

    /// A whole /proc file as text (bounded: 64 KiB), or nil when it cannot be read.
    private static func text(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 16 {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { break }
            bytes.append(contentsOf: chunk[..<got])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
