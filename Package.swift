// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "runbook",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Runbook", targets: ["Runbook"]),
        .executable(name: "runbook", targets: ["runbook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CMark",
            path: "Sources/CMark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .target(
            name: "Runbook",
            dependencies: ["CMark", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "runbook",
            dependencies: ["Runbook", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "RunbookTests",
            dependencies: ["Runbook", "runbook"],
            exclude: ["Fixtures"]
        ),
    ]
)
