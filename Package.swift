// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "asset-sidecar",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "asset-sidecar", targets: ["AssetSidecar"]),
        .library(name: "Sendfile", targets: ["Sendfile"]),
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
            dependencies: [.product(name: "SystemPackage", package: "swift-system")]
        ),
        .executableTarget(
            name: "AssetSidecar",
            dependencies: [
                "CLinux",
                "CSystemd",
                "Sendfile",
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
        .testTarget(
            name: "AssetSidecarTests",
            dependencies: ["AssetSidecar"]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")]
        ),
    ]
)
