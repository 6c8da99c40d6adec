// swift-tools-version: 6.0
// The libFuzzer target for the whole parse: front matter, libcmark, classification, JSON and plan
// rendering. A package of its own so that the project's build and CI never link libFuzzer.
// Built and run by bench/fuzz.sh.
import PackageDescription

let package = Package(
    name: "RunbookFuzz",
    dependencies: [.package(name: "runbook", path: "../..")],
    targets: [
        .executableTarget(
            name: "RunbookFuzz",
            dependencies: [.product(name: "RunbookCore", package: "runbook")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
