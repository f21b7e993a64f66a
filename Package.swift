// swift-tools-version:6.0
import PackageDescription

// The request path as one-way stages, each its own target, so the compiler enforces the layering:
//
//   HTTP1 ← Semantics          syntax, then the RFC 9110 rules over it (pure functions)
//   Files                      document root, confined lookup, open-file cache, MIME, validators
//   Sendfile                   segments to a socket, typed outcomes (no HTTP)
//   Loop → Sendfile            epoll, listeners, connections, deadlines; the handler protocol
//   Serve → HTTP1, Semantics, Files, Sendfile, Loop
//                              the handler: resolve → plan → head → segments
//   AssetSidecar → all         CLI and configuration, systemd supervisor, observability
/// Release builds of the request path's modules: cross-module optimisation, so the optimiser
/// inlines and specialises across the five modules a request crosses; and no dynamic
/// exclusivity checks, which cost about 2,100 of 9,600 user instructions per 1 KiB request
/// (callgrind, W1) because every loop, connection and session keeps its state in class
/// properties. Debug builds — every `swift test` run, the sanitizer runs — keep the dynamic
/// checks, and the compile-time exclusivity diagnostics apply to every build.
let hotPath: [SwiftSetting] = [
    .unsafeFlags(
        ["-cross-module-optimization", "-enforce-exclusivity=unchecked"],
        .when(configuration: .release))
]

/// Release links of the executable: lld, so that (a) relative relocations are packed (RELR,
/// glibc 2.36+): 40,000 of them took 973 KB of table that the loader read at every start, and
/// peak RSS under W1 fell from 12.3 to 11.2 MiB; (b) functions are laid out in the order of
/// link/symbol-order.txt (scripts/symbol-order.sh), the code that runs first and hottest
/// together: peak RSS 11.4 -> 10.0 MiB (Benchmarks/compare.sh MEASURE=rss). Names the order
/// lists that no longer exist are ignored; (c) the C++ runtime and libgcc's unwinder are linked
/// statically (link/static-libstdc++ answers the toolchain's `-lstdc++` with the archive;
/// `-static-libgcc`), so libstdc++.so.6 and libgcc_s.so.1 are no longer loaded at start:
/// peak RSS under W1 10.0 -> 9.2 MiB, at 1,000 connections 15.1 -> 14.3.
let releaseLink: [LinkerSetting] = [
    .unsafeFlags(
        [
            "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
            "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/link/symbol-order.txt",
            "-Xlinker", "--no-warn-symbol-ordering",
            "-L\(Context.packageDirectory)/link/static-libstdc++",
            "-Xclang-linker", "-static-libgcc",
        ],
        .when(configuration: .release))
]

let package = Package(
    name: "asset-sidecar",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "asset-sidecar", targets: ["AssetSidecar"]),
        .library(name: "Sendfile", targets: ["Sendfile"]),
        .library(name: "HTTP1", targets: ["HTTP1"]),
        .library(name: "Semantics", targets: ["Semantics"]),
        .library(name: "Files", targets: ["Files"]),
        .library(name: "Loop", targets: ["Loop"]),
        .library(name: "Serve", targets: ["Serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.2.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .systemLibrary(name: "CLinux"),
        .target(
            name: "Sendfile",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: hotPath
        ),
        .target(name: "HTTP1", swiftSettings: hotPath),
        .target(name: "Semantics", dependencies: ["HTTP1"], swiftSettings: hotPath),
        .target(
            name: "Files",
            dependencies: [
                "CLinux",
                "HTTP1",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Atomics", package: "swift-atomics"),
            ],
            swiftSettings: hotPath
        ),
        .target(
            name: "Loop",
            dependencies: [
                "CLinux",
                "Sendfile",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Atomics", package: "swift-atomics"),
            ],
            swiftSettings: hotPath
        ),
        .target(
            name: "Serve",
            dependencies: [
                "HTTP1",
                "Semantics",
                "Files",
                "Sendfile",
                "Loop",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Atomics", package: "swift-atomics"),
            ],
            swiftSettings: hotPath
        ),
        .executableTarget(
            name: "AssetSidecar",
            dependencies: [
                "CLinux",
                "CSystemd",
                "Sendfile",
                "HTTP1",
                "Semantics",
                "Files",
                "Loop",
                "Serve",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Atomics", package: "swift-atomics"),
            ],
            linkerSettings: releaseLink
        ),
        .testTarget(
            name: "SendfileTests",
            dependencies: ["Sendfile", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1", "TestSupport"]),
        .testTarget(name: "SemanticsTests", dependencies: ["Semantics", "HTTP1", "TestSupport"]),
        .testTarget(name: "FilesTests", dependencies: ["Files", "HTTP1", "TestSupport"]),
        .testTarget(
            name: "LoopTests",
            dependencies: ["Loop", "Sendfile", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "ServeTests",
            dependencies: [
                "Serve", "HTTP1", "Semantics", "Files", "Loop", "Sendfile", "TestSupport",
            ]
        ),
        .testTarget(
            name: "AssetSidecarTests",
            dependencies: ["AssetSidecar", "Serve", "Files", "Loop", "HTTP1"]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")]
        ),
    ]
)
