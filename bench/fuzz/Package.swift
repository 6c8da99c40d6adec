// swift-tools-version: 6.0
// The libFuzzer targets: RunbookFuzz for the whole parse (front matter, libcmark, classification,
// JSON and plan rendering; it links RunbookCore alone), ExportFuzz for the exports (hostile
// values must stay data in the shell script, the playbook and the sysctl file). A package of its
// own so that the project's build and CI never link libFuzzer. Built and run by bench/fuzz.sh.
import PackageDescription

let package = Package(
    name: "RunbookFuzz",
    dependencies: [
        .package(name: "runbook", path: "../.."),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .executableTarget(
            name: "RunbookFuzz",
            dependencies: [.product(name: "RunbookCore", package: "runbook")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "ExportFuzz",
            dependencies: [
                .product(name: "RunbookCore", package: "runbook"), .product(name: "RunbookExport", package: "runbook"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
