import Glibc
import Testing

/// Header limits bound memory (behaviour §2.5): a client that sends a mebibyte of header section
/// gets 431 once the limit is reached, and the server never buffers the rest.
@Suite("Header limits bound memory")
struct HeaderMemoryTests {
    static let mebibyte = 1 << 20

    /// Eight clients at once send 1 MiB header sections — one huge field, or thousands of
    /// small ones — and each gets 431; the resident size stays below 64 MiB; the server then
    /// serves as before.
    @Test func mebibyteHeaderSectionsGet431() throws {
        let site = try TempSite()
        let body = try site.write("a.txt", text: "a\n")
        let sidecar = try SupervisedSidecar(site)
        try sidecar.start()

        let filler = [UInt8](repeating: UInt8(ascii: "b"), count: Self.mebibyte)
        let huge = Array("X-Big: ".utf8) + filler
        var many: [UInt8] = []
        var index = 0
        while many.count < Self.mebibyte {
            many += Array("X-Field-\(index): value\r\n".utf8)
            index += 1
        }
        let sections = [huge + Array("\r\n".utf8), many]

        let clients = try (0..<8).map { _ in try sidecar.connect() }
        for (number, client) in clients.enumerated() {
            let request =
                Array("GET /a.txt HTTP/1.1\r\nHost: localhost\r\n".utf8)
                + sections[number % 2] + Array("\r\n".utf8)
            do {
                try client.send(request, timeout: .seconds(10))
            } catch let error as SupportError {
                // The server answered and closed before taking it all: expected.
                if case .timedOut = error { throw error }
            }
        }
        for client in clients {
            let response = try client.readResponse()
            #expect(response.status == 431)
        }
        let resident = try ProcessInspection.residentBytes(sidecar.pid)
        #expect(resident < 64 << 20, "resident size \(resident) bytes")
        #expect(try sidecar.get("/a.txt").body == body)
    }
}
