import Glibc
import Testing

@testable import AssetSidecar

/// The sd_notify message format (behaviour §1.6).
@Suite struct NotifierTests {
    @Test func fieldsAreNewlineSeparatedAssignments() {
        let text = Notifier.format([
            .init(key: "READY", value: "1"), .init(key: "STATUS", value: "ok"),
        ])
        #expect(text == "READY=1\nSTATUS=ok")
    }

    @Test func newlinesInsideAValueCannotStartANewAssignment() {
        let text = Notifier.format([.init(key: "STATUS", value: "a\nWATCHDOG=1\r\nb")])
        #expect(text == "STATUS=a WATCHDOG=1 b")
        #expect(!text.contains("\n"))
    }

    @Test func sendingWithoutANotifySocketIsANoOp() {
        unsetenv("NOTIFY_SOCKET")
        #expect(Notifier.send([.init(key: "STATUS", value: "x")]) == 0)
    }
}
