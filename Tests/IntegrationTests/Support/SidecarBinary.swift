import Foundation
import Glibc

/// Where the asset-sidecar executable under test is.
enum SidecarBinary {
    /// `ASSET_SIDECAR_BIN` when set; else `asset-sidecar` beside the running test executable
    /// (SwiftPM puts both in the same build directory); else `.build/debug/asset-sidecar` in
    /// the package that holds this source file.
    static func path(sourceFile: String = #filePath) throws -> String {
        if let configured = ProcessInfo.processInfo.environment["ASSET_SIDECAR_BIN"] {
            guard access(configured, X_OK) == 0 else {
                throw SupportError.unavailable("ASSET_SIDECAR_BIN=\(configured) is not executable")
            }
            return configured
        }
        let candidates = [besideTestExecutable(), inPackageBuildDirectory(sourceFile)]
            .compactMap { $0 }
        guard let found = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw SupportError.unavailable(
                "asset-sidecar not built: tried \(candidates.joined(separator: ", ")); "
                    + "run `swift build` or set ASSET_SIDECAR_BIN")
        }
        return found
    }

    private static func besideTestExecutable() -> String? {
        guard
            let executable = try? FileManager.default.destinationOfSymbolicLink(
                atPath: "/proc/self/exe")
        else { return nil }
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
            .appendingPathComponent("asset-sidecar").path
    }

    /// Walks up from `sourceFile` to the directory holding `Package.swift`.
    private static func inPackageBuildDirectory(_ sourceFile: String) -> String? {
        var directory = URL(fileURLWithPath: sourceFile).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(
                atPath: directory.appendingPathComponent("Package.swift").path)
            {
                return directory.appendingPathComponent(".build/debug/asset-sidecar").path
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }
}
