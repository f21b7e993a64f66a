import HTTP1
import Loop
import Serve
import Testing

@testable import AssetSidecar

/// The Prometheus page (behaviour §7.2): every series summed over the loops, well-formed lines.
@Suite("MetricsPage")
struct MetricsPageTests {
    func page(_ loops: [LoopStats], _ responses: [ResponseStats]) -> [String] {
        let page = MetricsPage.render(
            loops: loops, responses: responses, sites: [], process: ProcessSample())
        return String(decoding: page, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func sumsOverLoops() {
        let loops = [LoopStats(), LoopStats()]
        LoopStats.bump(loops[0].bytesSendfile, by: 100)
        LoopStats.bump(loops[1].bytesSendfile, by: 23)
        LoopStats.bump(loops[1].acceptedConnections, by: 2)
        let lines = page(loops, [ResponseStats(), ResponseStats()])
        #expect(lines.contains("asset_sidecar_sent_bytes_total{method=\"sendfile\"} 123"))
        #expect(lines.contains("asset_sidecar_accepted_connections_total 2"))
        #expect(lines.contains("asset_sidecar_responses_total{code=\"200\"} 0"))
        #expect(lines.contains("asset_sidecar_closes_total{reason=\"peer_reset\"} 0"))
    }

    @Test func everySampleHasHelpAndType() {
        let lines = page([LoopStats()], [ResponseStats()])
        var declared: Set<String> = []
        for line in lines {
            if line.hasPrefix("# TYPE ") {
                declared.insert(String(line.split(separator: " ")[2]))
            } else if !line.hasPrefix("#") {
                let name = String(line.prefix { $0 != "{" && $0 != " " })
                #expect(declared.contains(name), "\(name) has no TYPE line before it")
                #expect(Int64(line.split(separator: " ").last ?? "") != nil, "\(line)")
            }
        }
    }
}
