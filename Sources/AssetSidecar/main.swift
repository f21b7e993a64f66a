import ArgumentParser
import Glibc
import Logging

/// Entry point: parse the command line, set up logging, run the server. Every startup error
/// is one line on stderr and exit status 78 (behaviour §1.5).
func main() -> Int32 {
    let command: SidecarCommand
    do {
        command = try SidecarCommand.parse()
    } catch {
        let code = SidecarCommand.exitCode(for: error)
        if code == .success {
            print(SidecarCommand.fullMessage(for: error))
            return 0
        }
        return fail(SidecarCommand.message(for: error))
    }
    do {
        let configuration = try command.makeConfiguration(
            processorCount: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        guard let level = Logger.Level(rawValue: command.logLevel) else {
            throw StartupError(
                "--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap { JournalLogHandler(label: $0, level: level) }
        let server = Server(configuration: configuration, logger: Logger(label: "asset-sidecar"))
        return try server.run()
    } catch {
        return fail("\(error)")
    }
}

/// Prints one line to stderr and returns EX_CONFIG.
func fail(_ message: String) -> Int32 {
    let line = "asset-sidecar: " + message.split(separator: "\n").joined(separator: " ") + "\n"
    var bytes = Array(line.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    return StartupError.exitStatus
}

exit(main())
