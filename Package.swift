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
/// The request path crosses five modules per request; cross-module optimisation lets the
/// optimiser inline and specialise across them in release builds, as it did when they were one
/// target (callgrind, W1: see the commit that added it).
let crossModule: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))
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
            swiftSettings: crossModule
        ),
        .target(name: "HTTP1", swiftSettings: crossModule),
        .target(name: "Semantics", dependencies: ["HTTP1"], swiftSettings: crossModule),
        .target(
            name: "Files",
            dependencies: [
                "CLinux",
                "HTTP1",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Atomics", package: "swift-atomics"),
            ],
            swiftSettings: crossModule
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
            swiftSettings: crossModule
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
            swiftSettings: crossModule
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
            ]
        ),
        .testTarget(
            name: "SendfileTests",
            dependencies: ["Sendfile", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1", "TestSupport"]),
        .testTarget(name: "SemanticsTests", dependencies: ["Semantics", "HTTP1", "TestSupport"]),
        .testTarget(name: "FilesTests", dependencies: ["Files", "HTTP1", "TestSupport"]),
        .testTarget(name: "LoopTests", dependencies: ["Loop", "Sendfile"]),
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
