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
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
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
            dependencies: ["CMark", .product(name: "Yams", package: "Yams"), .product(name: "Mustache", package: "swift-mustache")],
            // The export templates (templates/ at the top of the repository links here) are
            // bundled with the binary so that an installed runbook finds them.
            resources: [.copy("templates")]
        ),
        .executableTarget(
            name: "runbook",
            dependencies: ["Runbook", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            // mimalloc (Debian's libmimalloc-dev) replaces the C library's malloc in the tool, not
            // in the library: reading a runbook allocates per block and per step, in libcmark and
            // in Swift alike, and mimalloc makes `runbook parse` of 10 MB 10% faster (bench/parse.sh).
            linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "RunbookTests",
            dependencies: ["Runbook", "runbook"],
            exclude: ["Fixtures"]
        ),
    ]
)
