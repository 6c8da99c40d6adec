import ArgumentParser
import Foundation
import RunbookCore
import RunbookExport
import RunbookOps

/// Where the CLI prints, and whether it may use colour there.
enum Output {
    static func standardOutput(_ text: String) {
        standardOutput(Array(text.utf8))
    }

    static func standardOutput(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { Platform.write($0, to: .output) }
    }

    static func standardOutput(_ bytes: UnsafeBufferPointer<UInt8>) {
        Platform.write(bytes, to: .output)
    }

    static func standardError(_ text: String) {
        Array(text.utf8).withUnsafeBufferPointer { Platform.write($0, to: .error) }
    }

    /// A user's problem, the same way for every command: at a line of a file like a compiler's
    /// (`file:line: error: ...`), otherwise as `runbook: error: ...`.
    static func error(_ problem: UsageProblem) {
        if let diagnostic = problem.diagnostic { report([diagnostic]) } else { error(problem.description) }
    }

    /// A problem that is not about a place in a file (an unreachable target, a failed command).
    static func error(_ message: String) {
        standardError("runbook: error: \(message)\n")
    }

    /// Colour only on a terminal that can show it, and never when `NO_COLOR` is set
    /// (no-color.org).
    static func wantsColor(_ stream: Platform.Stream) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        if let value = environment["NO_COLOR"], !value.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return Platform.isTerminal(stream)
    }

    /// A progress line rewritten in place needs a terminal that understands the codes for it:
    /// not a pipe, not `TERM=dumb`.
    static var wantsLiveProgress: Bool {
        ProcessInfo.processInfo.environment["TERM"] != "dumb" && Platform.isTerminal(.output)
    }

    /// Prints diagnostics the way compilers do, `error:`/`warning:` in colour on a terminal.
    static func report(_ diagnostics: [Diagnostic]) {
        let color = wantsColor(.error)
        for diagnostic in diagnostics {
            var text = diagnostic.description
            if color {
                let label = "\(diagnostic.severity.rawValue):"
                let code = diagnostic.severity == .error ? "1;31" : "1;35"
                if let range = text.range(of: " \(label) ") {
                    text.replaceSubrange(range, with: " \u{1B}[\(code)m\(label)\u{1B}[0m ")
                }
            }
            standardError(text + "\n")
        }
    }

    /// The `--target ROLE=TARGET[,TARGET...]` arguments as a map; a malformed one is a usage error.
    static func targets(_ arguments: [String]) throws -> TargetMap {
        var map = TargetMap()
        do {
            for argument in arguments { try map.add(argument: argument) }
        } catch {
            throw ValidationError(error.description)
        }
        return map
    }

    /// Runbooks loaded by this process, held until it exits: the kernel takes a process's memory
    /// back at once, whereas releasing a large runbook's steps one string at a time costs more
    /// than printing them (16 ms of 250 for `runbook parse` of 10 MB).
    nonisolated(unsafe) private static var loaded: [Runbook] = []

    /// Loads a runbook for a command, printing its warnings unless they were printed when it
    /// was loaded before (with fewer variables); exits 2 on errors.
    static func load(_ path: String, overrides: [String: String] = [:], warnings: Bool = true) throws -> Runbook {
        do {
            let runbook = try Runbook.load(path: path, overrides: overrides)
            loaded.append(runbook)
            if warnings { report(runbook.warnings) }
            return runbook
        } catch {
            report(error.diagnostics)
            throw ExitCodeError.parse
        }
    }
}
