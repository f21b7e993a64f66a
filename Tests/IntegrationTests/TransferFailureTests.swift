import Glibc
import Testing

/// Transfers that do not go to plan: the client leaves, the file shrinks or grows mid-send.
@Suite("Aborted and changing transfers")
struct TransferFailureTests {
    /// behaviour §6.3: a client that goes away mid-body costs nothing further: a connection that
    /// was open meanwhile keeps working, a new one is served, and the descriptors the process
    /// holds for clients (connections, files of the site) return to what they were before the
    /// download.
    @Test func abortedDownloadReleasesEverything() throws {
        let site = try TempSite()
        try site.makeSparse("big.bin", size: 64 << 20)
        let small = try site.write("small.txt", text: "small\n")
        let served = try SupervisedSidecar(site)
        // Warm up both files (a cache may keep their descriptors), each on a connection the
        // sidecar has closed by the time end-of-file is read: nothing else is in progress.
        try Self.getAndClose(served, "/small.txt")
        try Self.getAndClose(served, "/big.bin", ["Range: bytes=0-0"])
        let root = site.root
        let baseline = try ProcessInspection.clientResources(served.pid, root: root)
        let bystander = try served.connect()
        #expect(try bystander.get("/small.txt").body == small)

        let aborting = try served.connect()
        try aborting.send(UnixHTTPClient.request("GET", "/big.bin"))
        let (head, length) = try aborting.readHead()
        #expect(head.status == 200)
        #expect(length == 64 << 20)
        var read = 0
        while read < 1 << 20 {
            read += try aborting.readBytes(atMost: 65536).count
        }
        aborting.close()

        #expect(try bystander.get("/small.txt").body == small)
        let fresh = try Self.getAndClose(served, "/small.txt")
        #expect(fresh.body == small)
        var held: [String] = []
        do {
            try BoundedWait.until("descriptors back to the baseline") {
                held = try ProcessInspection.clientResources(served.pid, root: root)
                return held.count == baseline.count + 1  // The bystander's connection.
            }
        } catch {
            Issue.record("held: \(held); before (without the bystander): \(baseline)")
        }
        #expect(served.sidecar.exitStatus() == nil)
    }

    /// behaviour §3.5, §6.1: a file truncated in place while it is being sent: the connection is
    /// closed short of Content-Length, and nothing is sent for offsets the file no longer
    /// has, so no byte received contradicts the file: below the new size every byte is the
    /// file's; above it only bytes queued before the truncation can arrive, which are the
    /// old content or zeros (sendfile into a Unix socket queues page references, and the
    /// kernel zeroes the truncated part of a page still queued; the README's "deploy by
    /// rename"), never padding or other bytes. Afterwards the process does not spin: its CPU
    /// time over one idle second stays under 0.2 s, and it still serves.
    @Test func truncatedFileClosesTheConnectionShort() throws {
        let site = try TempSite()
        let size = 256 << 20
        let newSize = 128 << 10
        let prefix = SeededBytes.make(count: 4 << 20, seed: 99)
        try site.makeSparse("shrinking.bin", size: Int64(size))
        try site.write("shrinking.bin", prefix, at: 0)
        let small = try site.write("small.txt", text: "still serving\n")
        let served = try SupervisedSidecar(site)

        let client = try served.connect()
        try client.send(UnixHTTPClient.request("GET", "/shrinking.bin"))
        let (head, length) = try client.readHead()
        #expect(head.status == 200)
        #expect(length == size)
        var body: [UInt8] = []
        while body.count < 64 << 10 {
            let bytes = try client.readBytes(atMost: (64 << 10) - body.count)
            try #require(!bytes.isEmpty, "closed after \(body.count) bytes, before the truncation")
            body += bytes
        }
        try site.truncate("shrinking.bin", to: Int64(newSize))
        body += try client.readUntilClosed(timeout: .seconds(30))

        #expect(body.count < length, "received all \(length) bytes of a truncated file")
        #expect(body.count >= newSize, "closed at \(body.count), before the new end of file")
        // The original content: the seeded prefix, zeros after it.
        let original = { (offset: Int) in offset < prefix.count ? prefix[offset] : 0 }
        let kept = min(body.count, newSize)
        let mismatch = ByteComparison.firstDifference(
            Array(body[..<kept]), Array(prefix[..<kept]))
        #expect(mismatch == nil, "byte \(mismatch ?? 0) below the new size differs from the file")
        let foreign = (kept..<body.count).first { body[$0] != original($0) && body[$0] != 0 }
        #expect(foreign == nil, "byte \(foreign ?? 0) is neither the old content nor zero")

        let before = try ProcessInspection.cpuTime(served.pid)
        BoundedWait.pause(.seconds(1))
        let after = try ProcessInspection.cpuTime(served.pid)
        #expect(after - before < .milliseconds(200), "CPU time rose by \(after - before) in 1 s")
        #expect(try served.get("/small.txt").body == small)
    }

    /// behaviour §3.4, §6.1: a file that grows while it is being sent: exactly the planned
    /// Content-Length bytes are sent (the snapshot's size), so the next response on the same
    /// connection starts where it should.
    @Test func grownFileSendsOnlyThePlannedLength() throws {
        let site = try TempSite()
        let original = try site.writeRandom("growing.bin", count: 16 << 20, seed: 5)
        let small = try site.write("small.txt", text: "next\n")
        let served = try SupervisedSidecar(site)

        let client = try served.connect()
        try client.send(UnixHTTPClient.request("GET", "/growing.bin"))
        let (head, length) = try client.readHead()
        #expect(head.status == 200)
        #expect(length == original.count)
        var body = try client.readBytes(atMost: 64 << 10)
        try site.write("growing.bin", SeededBytes.make(count: 4 << 20, seed: 6), at: Int64(length))
        while body.count < length {
            let bytes = try client.readBytes(atMost: length - body.count)
            try #require(!bytes.isEmpty, "closed after \(body.count) of \(length) bytes")
            body += bytes
        }
        #expect(
            ByteComparison.firstDifference(body, original) == nil,
            "\(ByteComparison.describe(body, original))")
        let next = try client.get("/small.txt")
        #expect(next.status == 200)
        #expect(next.body == small)
    }

    /// GET with `Connection: close` on a new connection, read to end-of-file.
    @discardableResult
    private static func getAndClose(
        _ served: SupervisedSidecar, _ target: String, _ fields: [String] = []
    ) throws -> HTTPResponse {
        let client = try served.connect()
        let response = try client.get(target, fields + ["Connection: close"])
        #expect(try client.readUntilClosed().isEmpty)
        return response
    }
}
