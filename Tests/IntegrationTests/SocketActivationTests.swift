import Testing

/// Named sockets select document roots.
@Suite("Socket activation and sites")
struct SocketActivationTests {
    /// behaviour §1.2, §1.3: two inherited sockets, `assets` and `docs`; `--site docs=ROOT2` names
    /// the second and `--root ROOT1` covers the first. Each socket serves its own root.
    @Test func namedSocketsServeTheirOwnRoots() throws {
        let assets = try TempSite()
        let docs = try TempSite()
        let assetsBody = try assets.write("which.txt", text: "assets\n")
        let docsBody = try docs.write("which.txt", text: "docs\n")
        try docs.write("only-docs.txt", text: "only in docs\n")
        let notify = try NotifySink()
        let sidecar = try SidecarProcess(
            ["--root", assets.root, "--site", "docs=\(docs.root)"],
            sockets: .activated(["assets", "docs"]), notify: notify)

        let fromAssets = try sidecar.connect(socket: 0).get("/which.txt")
        #expect(fromAssets.status == 200)
        #expect(fromAssets.body == assetsBody)
        let fromDocs = try sidecar.connect(socket: 1).get("/which.txt")
        #expect(fromDocs.status == 200)
        #expect(fromDocs.body == docsBody)
        #expect(try sidecar.connect(socket: 0).get("/only-docs.txt").status == 404)
        #expect(try sidecar.connect(socket: 1).get("/only-docs.txt").status == 200)
    }

    /// behaviour §1.3: with a `--site` for every socket no `--root` is needed.
    @Test func sitesAloneCoverEverySocket() throws {
        let first = try TempSite()
        let second = try TempSite()
        let firstBody = try first.write("x.txt", text: "first\n")
        let secondBody = try second.write("x.txt", text: "second\n")
        let sidecar = try SidecarProcess(
            ["--site", "one=\(first.root)", "--site", "two=\(second.root)"],
            sockets: .activated(["one", "two"]))
        #expect(try sidecar.connect(socket: 1).get("/x.txt").body == secondBody)
        #expect(try sidecar.connect(socket: 0).get("/x.txt").body == firstBody)
    }
}
