import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

/// Inputs a user may hand the CLI by mistake: each gets one `file:line: error:` line and exit 2.
@Suite("Bad input")
struct BadInputTests {
    private func withFile(_ bytes: [UInt8], _ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-bad-\(UUID().uuidString).md")
            .path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    private func expectError(
        _ result: CLIResult, _ path: String, line: Int, containing text: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 2, sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("\(path):\(line): error: "), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test("a missing file")
    func missing() throws {
        expectError(try runCLI(["parse", "no/such.md"]), "no/such.md", line: 1, containing: "No such file")
    }

    @Test("a directory")
    func directory() throws {
        expectError(try runCLI(["plan", "runbooks"]), "runbooks", line: 1, containing: "is a directory")
    }

    @Test("a binary file")
    func binary() throws {
        try withFile(Array("# Title\n\nabc".utf8) + [0, 1, 2]) { path in
            expectError(try runCLI(["parse", path]), path, line: 3, containing: "NUL bytes")
        }
    }

    @Test("invalid UTF-8 names the line of the first bad byte")
    func invalidUTF8() throws {
        try withFile(Array("# Title\n\ncaf".utf8) + [0xE9, 0x0A]) { path in
            expectError(try runCLI(["parse", path]), path, line: 3, containing: "invalid UTF-8")
        }
    }

    @Test("malformed front matter")
    func frontMatter() throws {
        try withFile(Array("---\ntitle: [x\n---\n".utf8)) { path in
            let result = try runCLI(["parse", path])
            #expect(result.status == 2)
            #expect(result.stderr.contains("error: invalid YAML in front matter"))
        }
    }

    @Test("an unterminated fence is a warning and parsing goes on")
    func unterminatedFence() throws {
        try withFile(Array("# T\n\n```sh\nsysctl -w net.ipv4.ip_forward=1\n".utf8)) { path in
            let result = try runCLI(["parse", path])
            #expect(result.status == 0)
            #expect(
                result.stderr
                    == "\(path):3: warning: code fence opened here is never closed; the block runs to the end of its container\n"
            )
            #expect(result.stdout.contains("sysctl net.ipv4.ip_forward = 1"))
        }
    }

    @Test("an unterminated heredoc is a warning and parsing goes on")
    func unterminatedHeredoc() throws {
        try withFile(Array("```sh\ncat <<EOF > /tmp/x\nline\n```\n".utf8)) { path in
            let result = try runCLI(["parse", path])
            #expect(result.status == 0)
            #expect(result.stderr.contains("\(path):2: warning: heredoc <<EOF is never terminated"))
        }
    }

    @Test("a 100 MB file is refused up front, without reading it all")
    func huge() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-huge-\(UUID().uuidString).md")
            .path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 100 << 20)
        try handle.close()
        expectError(try runCLI(["parse", path]), path, line: 1, containing: "runbooks over 64 MiB are refused")
    }

    @Test("every error of a file is reported, not just the first")
    func allErrors() throws {
        try withFile(Array("```\nnet..a = 1\n```\n\n```\nnet.b..c = 1\n```\n".utf8)) { path in
            let result = try runCLI(["parse", path])
            #expect(result.status == 2)
            #expect(
                result.stderr.split(separator: "\n").map { $0.prefix(while: { $0 != " " }) } == [
                    "\(path):2:", "\(path):6:",
                ])
        }
    }

    @Test(
        "every command's --help reads as prose: no stray line-continuation backslashes",
        arguments: [
            [], ["parse"], ["plan"], ["exec"], ["export"], ["audit"], ["lab"], ["lab", "run"], ["lab", "topology"],
            ["lab", "down"],
        ])
    func help(_ command: [String]) throws {
        let result = try runCLI(command + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: runbook"))
        #expect(!result.stdout.contains("\\"))
    }

    @Test("a journal line that is not a record is an error at its line, for --resume and --rollback alike")
    func brokenJournal() throws {
        let record = #"{"step":1,"target":"local","verdict":"changed"}"#
        try withFile(Array("\(record)\n\nnot a record\n\(record)\n".utf8)) { journal in
            let example = "runbooks/one-network-nat.md"
            for arguments in [[example, "--resume", "--journal", journal], ["--rollback", journal]] {
                let result = try runCLI(["exec"] + arguments + ["--dry-run"])
                expectError(result, journal, line: 3, containing: "not a runbook journal record")
            }
        }
    }

    @Test("a template of --templates that does not parse is an error at its line")
    func brokenTemplate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runbook-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let template = directory.appendingPathComponent("sysctl.conf.mustache")
        try "# settings\n{{#settings}}\n{{key}} = {{value}}\n{{/hosts}}\n".write(
            to: template, atomically: true, encoding: .utf8)
        let result = try runCLI([
            "export", "runbooks/one-network-nat.md", "--format", "sysctl", "--host", "director", "--templates",
            directory.path,
        ])
        expectError(result, template.path, line: 4, containing: "invalid Mustache template")
    }

    @Test("usage errors exit 2, like parse errors")
    func usage() throws {
        let result = try runCLI(["parse"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Missing expected argument"))
    }
}
