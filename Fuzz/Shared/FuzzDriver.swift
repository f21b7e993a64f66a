import CFuzzerDriver
import Glibc

/// The `main` of a fuzz target. SwiftPM links an executable target's `main` to the module's
/// own entry point, so the target's top-level code hands the process to libFuzzer's driver,
/// which parses libFuzzer's options from the command line and calls `test` per input.
public enum FuzzDriver {
    /// Runs libFuzzer with `test` as `LLVMFuzzerTestOneInput` and exits with its status.
    public static func run(
        _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, test))
    }
}
