// swift-tools-version:6.0
import Foundation
import PackageDescription

// The fuzz targets: a package of their own, so that swift-nio (llhttp, the differential
// target's oracle) never enters the server's dependencies. Build with
//   swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address
// (Fuzz/build.sh does, one --product per target). Each target is a folder of this directory
// with a main.swift, named as the target.

/// The server package, whose identity SwiftPM takes from its folder's name.
let server = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent

/// A fuzz target using the server's library products `libraries`, and `more` targets of here.
func fuzzTarget(_ name: String, _ libraries: [String], _ more: [Target.Dependency] = [])
    -> Target
{
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + libraries.map { .product(name: $0, package: server) }
            + more,
        path: name
    )
}

let package = Package(
    name: "asset-sidecar-fuzz",
    products: [
        "RequestParser", "ByteRanges", "RequestTarget", "Negotiation", "HTTPDate",
        "Differential",
    ].map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
    ],
    targets: [
        .systemLibrary(name: "CFuzzerDriver", path: "CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"], path: "Shared"),
        .target(
            name: "LLHTTPOracle",
            dependencies: [.product(name: "NIOHTTP1", package: "swift-nio")],
            path: "LLHTTPOracle"
        ),
        fuzzTarget("RequestParser", ["HTTP1"]),
        fuzzTarget("RequestTarget", ["HTTP1"]),
        fuzzTarget("HTTPDate", ["HTTP1"]),
        fuzzTarget("ByteRanges", ["Semantics"]),
        fuzzTarget("Negotiation", ["Semantics", "HTTP1"]),
        fuzzTarget("Differential", ["HTTP1"], ["LLHTTPOracle"]),
    ]
)
