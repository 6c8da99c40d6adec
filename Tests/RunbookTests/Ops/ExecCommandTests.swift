import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

/// Commands on the local target: harmless ones only (`true`, `echo`), never a state change.
@Suite("exec commands and safety")
struct ExecCommandTests {
    func runbook(_ markdown: String) throws -> (path: String, cleanup: () -> Void) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-exec-\(UUID().uuidString).md")
            .path
        try markdown.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, { try? FileManager.default.removeItem(atPath: path) })
    }

    @Test("TERM=dumb gets no progress line rewritten in place, and no colour, even on a terminal")
    func dumbTerminal() throws {
        let (path, cleanup) = try runbook("```sh\ntrue\n```\n")
        defer { cleanup() }
        let shown = try runCLIOnTerminal(
            ["exec", path, "--yes", "--journal", "/dev/null"], environment: ["TERM": "dumb"])
        #expect(shown.contains("command  ok  exit status 0"), "\(shown)")
        #expect(!shown.contains("\u{1B}"))
    }

    @Test("declining the confirmation runs nothing and exits 1")
    func declined() throws {
        let (path, cleanup) = try runbook("```sh\ntouch /tmp/rbt-declined-\(getpid())\n```\n")
        defer { cleanup() }
        let result = try runCLIOnTerminal(
            ["exec", path, "--journal", "/dev/null"], environment: ["TERM": "dumb"], typing: "n\n")
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("nothing was run"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/rbt-declined-\(getpid())"))
    }

    @Test("--step asks before each step: y runs it, n skips it (journalled), q stops with exit 1")
    func stepByStep() throws {
        let marker = "/tmp/rbt-step-\(getpid())"
        let (path, cleanup) = try runbook("```sh\ntouch \(marker)-1\ntouch \(marker)-2\ntouch \(marker)-3\n```\n")
        let journal = marker + ".jsonl"
        defer {
            cleanup()
            for name in ["-1", "-2", "-3", ".jsonl"] { try? FileManager.default.removeItem(atPath: marker + name) }
        }
        let result = try runCLIOnTerminal(
            ["exec", path, "--step", "--journal", journal], environment: ["TERM": "dumb"], typing: "y\nn\nq\n")
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("run it? [y]es / [n]o (skip) / [q]uit / [a]ll"))
        #expect(FileManager.default.fileExists(atPath: marker + "-1"))
        #expect(!FileManager.default.fileExists(atPath: marker + "-2"))
        #expect(!FileManager.default.fileExists(atPath: marker + "-3"))
        let records = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        #expect(records.count == 2)
        #expect(records.last?.contains(#""verdict":"skipped""#) == true)
        #expect(records.last?.contains("skipped at the prompt (--step)") == true)
    }

    @Test("a step's warnings go to standard error, its verdict to standard output")
    func warningsOnStandardError() throws {
        let (path, cleanup) = try runbook("```console\n/nowhere/at/all$ true\n```\n")
        defer { cleanup() }
        let result = try runCLI(["exec", path, "--yes", "--journal", "/dev/null"])
        #expect(result.stdout.contains("command  ok  exit status 0"))
        #expect(result.stderr.contains("warning: directory /nowhere/at/all does not exist"), "\(result.stderr)")
        #expect(!result.stdout.contains("warning:"))
    }

    @Test("a failing command stops the run with exit 1 and a journal line")
    func failure() throws {
        let (path, cleanup) = try runbook("```sh\ntrue\nfalse\necho never\n```\n")
        defer { cleanup() }
        let journal = path + ".jsonl"
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let result = try runCLI(["exec", path, "--yes", "--journal", journal])
        #expect(result.status == 1)
        #expect(result.stdout.contains("[2/3] (no host)@local  command  failed  exit status 1"))
        #expect(!result.stdout.contains("[3/3]"))
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.last?.contains(#""verdict":"failed""#) == true)
        #expect(lines.last?.contains(#""exit":1"#) == true)
    }

    @Test(
        "--report junit on standard output and json and text to files, from one run; the progress moves to standard error"
    )
    func reports() throws {
        let (path, cleanup) = try runbook("```sh\ntrue\nfalse\n```\n")
        defer { cleanup() }
        let json = path + ".json", text = path + ".txt"
        defer { for file in [json, text] { try? FileManager.default.removeItem(atPath: file) } }
        let result = try runCLI([
            "exec", path, "--yes", "--journal", "/dev/null", "--report", "junit", "--report", "json:\(json)",
            "--report", "text:\(text)",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("<?xml"), "\(result.stdout)")
        #expect(
            result.stdout.contains(#"<error type="failed" message="\#(path):3: exit status 1""#), "\(result.stdout)")
        if canValidateJUnit { #expect(try junitSchemaErrors(result.stdout) == "") }
        #expect(result.stderr.contains("[2/2] (no host)@local  command  failed  exit status 1"))
        let steps = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [[String: Any]])
        #expect(steps.map { $0["verdict"] as? String } == ["ok", "failed"])
        let written = try String(contentsOfFile: text, encoding: .utf8)
        #expect(written.contains("[1/2] (no host)@local  command  ok  exit status 0"), "\(written)")
    }

    @Test("two reports cannot both go to standard output")
    func twoReportsOnOutput() throws {
        let result = try runCLI([
            "exec", "runbooks/one-network-nat.md", "--dry-run", "--report", "json", "--report", "junit",
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("only one report can go to standard output"), "\(result.stderr)")
    }

    @Test("--resume continues from the step that failed, appending to the same journal")
    func resume() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runbook-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let flag = directory.appendingPathComponent("fixed").path
        let path = directory.appendingPathComponent("deploy.md").path
        try "```sh\necho one\ntest -e \(flag)\necho three\n```\n".write(toFile: path, atomically: true, encoding: .utf8)
        let journal = directory.appendingPathComponent("deploy.jsonl").path
        #expect(try runCLI(["exec", path, "--yes", "--journal", journal]).status == 1)
        _ = FileManager.default.createFile(atPath: flag, contents: nil)
        let resumed = try runCLI(["exec", path, "--yes", "--resume", "--journal", journal])
        #expect(resumed.status == 0, "\(resumed.stdout)")
        #expect(resumed.stdout.hasPrefix("resuming from step 2"))
        #expect(!resumed.stdout.contains("[1/3]"))
        let steps = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map { $0.prefix(10) }
        #expect(steps == [#"{"step":1,"#, #"{"step":2,"#, #"{"step":2,"#, #"{"step":3,"#])
        let again = try runCLI(["exec", path, "--yes", "--resume", "--journal", journal])
        #expect(again.stdout.contains("nothing to resume"))
    }

    @Test("output that differs from the doc is drift, with a diff")
    func drift() throws {
        let (path, cleanup) = try runbook("```console\n$ echo hello\nbye\n```\n")
        defer { cleanup() }
        let result = try runCLI(["exec", path, "--yes", "--journal", "/dev/null"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("drift  output differs from the doc"))
        #expect(result.stdout.contains("-bye"))
        #expect(result.stdout.contains("+hello"))
    }

    @Test("documented output that matches, trailing white space aside, is ok")
    func matches() throws {
        let (path, cleanup) = try runbook("```console\n$ printf 'a  \\nb\\n\\n'\na\nb\n```\n")
        defer { cleanup() }
        let result = try runCLI(["exec", path, "--yes", "--journal", "/dev/null"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("ok  output as documented"))
    }

}
