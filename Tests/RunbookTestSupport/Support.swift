import Foundation
import RunbookCore
import Testing

/// The package's root directory, found from this file so tests run from any working directory.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

public let fixturesDirectory = packageRoot.appendingPathComponent("Tests/RunbookTests/Fixtures")

/// `../shared` beside the checkout: the seed post and the real-world corpus, absent for
/// contributors who cloned only the project.
public let sharedDirectory = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

public func sharedPath(_ relative: String) -> String {
    sharedDirectory.appendingPathComponent(relative).path
}

public func hasShared(_ relative: String) -> Bool {
    FileManager.default.fileExists(atPath: sharedPath(relative))
}

/// Parses inline Markdown, failing the test with the diagnostics if it does not parse.
public func parse(
    _ markdown: String, file: String = "test.md", sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> Runbook {
    do {
        return try Runbook.parse(markdown: markdown, file: file)
    } catch {
        Issue.record(
            "parse failed: \(error.diagnostics.map(\.description).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
        throw error
    }
}

/// The diagnostics of Markdown that must not parse.
public func parseErrors(_ markdown: String, file: String = "test.md") -> [Diagnostic] {
    do {
        _ = try Runbook.parse(markdown: markdown, file: file)
        return []
    } catch {
        return error.diagnostics.filter { $0.severity == .error }
    }
}

extension Step {
    public var sysctl: SysctlSetting? { if case .sysctl(let s) = action { s } else { nil } }
    public var route: RouteChange? { if case .route(let r) = action { r } else { nil } }
    public var shellCommand: Command? { if case .command(let c) = action { c } else { nil } }
    public var address: AddressChange? { if case .address(let a) = action { a } else { nil } }
    public var ipvs: IPVSRule? { if case .ipvs(let r) = action { r } else { nil } }
}

public struct CLIResult {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// The built `runbook` executable, beside the test bundle.
public func cliBinary() -> URL {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
        "runbook")
    let candidates = [beside, packageRoot.appendingPathComponent(".build/debug/runbook")]
    return candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) ?? beside
}

/// Runs the built `runbook` executable, as a user would, from the package root; inside a
/// network namespace when one is named (an admin's machine on the lab's network).
public func runCLI(
    _ arguments: [String], environment: [String: String] = [:], inNamespace namespace: String? = nil
) throws -> CLIResult {
    let process = Process()
    if let namespace {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", namespace, cliBinary().path] + arguments
    } else {
        process.executableURL = cliBinary()
        process.arguments = arguments
    }
    process.currentDirectoryURL = packageRoot
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env.merge(environment) { $1 }
    process.environment = env
    // Files rather than pipes: a pipe that fills while the other is drained would deadlock.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outURL = directory.appendingPathComponent("stdout"), errURL = directory.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return CLIResult(
        status: process.terminationStatus,
        stdout: try String(contentsOf: outURL, encoding: .utf8),
        stderr: try String(contentsOf: errURL, encoding: .utf8))
}

/// Runs the CLI with its standard output on a pseudo-terminal (util-linux `script`), the way a
/// person at a terminal sees it, with exactly `environment` besides PATH.
public func runCLIOnTerminal(_ arguments: [String], environment: [String: String]) throws -> String {
    try runCLIOnTerminal(arguments, environment: environment, typing: nil).stdout
}

/// The same, with `typing` typed at the terminal (the lines a person answers prompts with); the
/// status is the CLI's, and standard output and error are mixed, as on a terminal.
public func runCLIOnTerminal(_ arguments: [String], environment: [String: String], typing: String?) throws -> CLIResult
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    let command = ([cliBinary().path] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
    process.arguments = ["-qec", command, "/dev/null"]
    process.currentDirectoryURL = packageRoot
    process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a }
    let pipe = Pipe()
    process.standardOutput = pipe
    if let typing {
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(typing.utf8))
        try input.fileHandleForWriting.close()
    } else {
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIResult(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
}

/// Compares `actual` with a golden file under Fixtures/golden; `UPDATE_GOLDEN=1 swift test`
/// rewrites the file instead, for a reviewed change of output.
public func expectGolden(
    _ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws {
    let url = fixturesDirectory.appendingPathComponent("golden").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(
        actual == expected, "output differs from golden file \(name); rerun with UPDATE_GOLDEN=1 after review",
        sourceLocation: sourceLocation)
}

/// The JUnit schema Jenkins validates with (junit-10.xsd), fetched by `scripts/test.sh`
/// (`install_junit_schema` in scripts/setup.sh): not ours to commit.
public let junitSchema = packageRoot.appendingPathComponent(".build/test-support/junit-10.xsd").path

/// Whether the schema and xmllint are here; in CI they must be, so the tests never skip there.
public var canValidateJUnit: Bool {
    ProcessInfo.processInfo.environment["CI"] != nil
        || (FileManager.default.fileExists(atPath: junitSchema)
            && FileManager.default.fileExists(atPath: "/usr/bin/xmllint"))
}

/// xmllint's complaints about `xml` against junit-10.xsd; empty when it validates.
public func junitSchemaErrors(_ xml: String) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-junit-\(UUID().uuidString).xml")
    try xml.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    do {
        try TestLab.shell("xmllint --noout --schema '\(junitSchema)' '\(file.path)'")
        return ""
    } catch let failure as TestLab.CommandFailed {
        return failure.description
    }
}
