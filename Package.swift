// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "runbook",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RunbookCore", targets: ["RunbookCore"]),
        .library(name: "RunbookExport", targets: ["RunbookExport"]),
        .library(name: "RunbookOps", targets: ["RunbookOps"]),
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
        // Read, model and render: no process, socket or namespace code, so it builds and its
        // tests pass without root, and the fuzz package links only it.
        .target(
            name: "RunbookCore",
            dependencies: ["CMark", .product(name: "Yams", package: "Yams")]
        ),
        // Writes a runbook in the formats fleets use, from templates bundled into the binary.
        .target(
            name: "RunbookExport",
            dependencies: ["RunbookCore", .product(name: "Mustache", package: "swift-mustache")],
            // The export templates (templates/ at the top of the repository links here) are
            // compiled in (BundledTemplates.swift, by scripts/generate-templates.sh), so that the
            // binary works wherever it is installed.
            exclude: ["templates"]
        ),
        // Targets, exec, audit and the lab: everything that touches a machine.
        .target(
            name: "RunbookOps",
            dependencies: ["RunbookCore"]
        ),
        .executableTarget(
            name: "runbook",
            dependencies: ["RunbookCore", "RunbookExport", "RunbookOps", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            // mimalloc (Debian's libmimalloc-dev) replaces the C library's malloc in the tool, not
            // in the library: reading a runbook allocates per block and per step, in libcmark and
            // in Swift alike, and mimalloc makes `runbook parse` of 10 MB 10% faster (bench/parse.sh).
            linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]
        ),
        // What the tests share: running the built CLI, golden files, the seed and corpus paths,
        // and the namespace test lab.
        .target(
            name: "RunbookTestSupport",
            dependencies: ["RunbookCore"],
            path: "Tests/RunbookTestSupport"
        ),
        // One folder per layer (Core, Export, Ops, CLI) and one for the hostile runbooks.
        .testTarget(
            name: "RunbookTests",
            dependencies: ["RunbookCore", "RunbookExport", "RunbookOps", "RunbookTestSupport", "runbook"],
            exclude: ["Fixtures"]
        ),
    ]
)
