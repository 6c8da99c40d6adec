import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

extension ExecCommandTests {
    @Test("--set and front matter vars reach commands as environment variables")
    func variables() throws {
        let (path, cleanup) = try runbook(
            "---\nvars:\n  GREETING: hello\n  NAME: doc\n---\n\n```console\n$ echo \"$GREETING $NAME\"\nhello cli\n```\n"
        )
        defer { cleanup() }
        let result = try runCLI(["exec", path, "--yes", "--journal", "/dev/null", "--set", "NAME=cli"])
        #expect(result.status == 0, "\(result.stdout)")
    }

    @Test("a command that runs past --timeout is killed with its children, and fails")
    func timeout() throws {
        let (path, cleanup) = try runbook("```sh\nsleep 30 & sleep 30\n```\n")
        defer { cleanup() }
        let start = Date()
        let result = try runCLI(["exec", path, "--yes", "--journal", "/dev/null", "--timeout", "0.5"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("timed out after 0.5 s"))
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test(
        "Ctrl-C, SIGTERM and SIGHUP kill the running step's processes, are journaled, and exit 128 + the signal",
        arguments: [SIGINT, SIGTERM, SIGHUP])
    func interrupt(_ signal: Int32) throws {
        let marker = "31.\(getpid())\(signal)"
        let (path, cleanup) = try runbook("```sh\nsleep \(marker)\necho never\n```\n")
        defer { cleanup() }
        let journal = path + ".jsonl"
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let process = Process()
        process.executableURL = cliBinary()
        process.arguments = ["exec", path, "--yes", "--journal", journal]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the step runs, then interrupt as a terminal's Ctrl-C would.
        for _ in 0..<200 where !TestLab.processRuns(["sleep", marker]) { usleep(25_000) }
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + signal)
        #expect(!TestLab.processRuns(["sleep", marker]))
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains("interrupted by signal \(signal)") == true)
        #expect(lines.last?.hasPrefix(#"{"interrupted":"#) == true)
    }

    @Test("21. a step that prints 200 MB is kept bounded: its first and last MiB, and how much was left out")
    func hugeOutput() throws {
        let session = try ShellSession(target: .local, environment: [:])
        defer { session.end() }
        let outcome = try session.run(
            "head -c 200000000 /dev/zero | tr '\\0' a; echo; echo end; echo err >&2", cwd: nil, timeout: 120)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.utf8.count < 3 << 20)
        #expect(outcome.stdout.hasPrefix("aaaa"))
        #expect(outcome.stdout.hasSuffix("\nend\n"))
        #expect(outcome.stdout.contains("bytes of output left out]"))
        #expect(outcome.stderr == "err\n")
        let next = try session.run("echo next", cwd: nil, timeout: 10)
        #expect(next.stdout == "next\n")
    }

    @Test("stdout and stderr are kept apart, output without a final newline included")
    func streams() throws {
        let session = try ShellSession(target: .local, environment: [:])
        defer { session.end() }
        let outcome = try session.run(
            "printf out; printf err >&2; exit_code() { return 3; }; exit_code", cwd: "/", timeout: 10)
        #expect(outcome.stdout == "out")
        #expect(outcome.stderr == "err")
        #expect(outcome.status == 3)
        let next = try session.run("pwd", cwd: "/tmp", timeout: 10)
        #expect(next.stdout == "/tmp\n")
    }

    @Test("a command that exits ends the session, and the step fails")
    func exitEndsSession() throws {
        let (path, cleanup) = try runbook("```sh\nexit 0\n```\n")
        defer { cleanup() }
        let result = try runCLI(["exec", path, "--yes", "--journal", "/dev/null"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("the shell ended (a syntax error, or exit/exec in the command)"))
    }

    @Test("a command whose heredoc the doc never terminates is not run")
    func unterminatedHeredoc() throws {
        let (path, cleanup) = try runbook("```sh\ncat > /tmp/runbook-never <<EOF\nline\n```\n")
        defer { cleanup() }
        let result = try runCLI(["exec", path, "--yes", "--journal", "/dev/null"])
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("a shell would never finish this command (see the warning at its line); not run"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/runbook-never"))
    }

    @Test("a syntax error in a command fails its step with the shell's message")
    func syntaxError() throws {
        let (path, cleanup) = try runbook("```sh\nfi\n```\n")
        defer { cleanup() }
        let result = try runCLI(["exec", path, "--yes", "--journal", "/dev/null"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("the shell ended (a syntax error"))
        #expect(result.stdout.contains("Syntax error"))
    }

    @Test("several hosts without targets are refused, with how to map them")
    func refusesUnmapped() throws {
        let result = try runCLI(["exec", "runbooks/one-network-nat.md", "--yes"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--target director=local"))
    }

    @Test("without --yes and without a terminal nothing runs")
    func needsConfirmation() throws {
        let (path, cleanup) = try runbook("```sh\ntouch /tmp/runbook-should-not-exist\n```\n")
        defer { cleanup() }
        let result = try runCLI(["exec", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("refusing to run without --yes"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/runbook-should-not-exist"))
    }

    @Test("--dry-run prints each target's exact actions and runs nothing")
    func dryRun() throws {
        let result = try runCLI([
            "exec", "runbooks/one-network-nat.md", "--target", "director=netns:d1",
            "--target", "realserver=netns:r1,netns:r2", "--dry-run",
        ])
        #expect(result.status == 0)
        try expectGolden(result.stdout, "one-network-nat.exec-plan.txt")
    }

    @Test("steps whose host has no target are skipped, never run elsewhere")
    func unmappedSkipped() throws {
        let plan = try ExecPlan(
            runbook: try Runbook.load(path: packageRoot.appendingPathComponent("runbooks/one-network-nat.md").path),
            options: {
                var o = ExecPlan.Options(); o.targets.roles["director"] = [.netns("nowhere")]; return o
            }())
        #expect(plan.items.filter { $0.target == nil }.map(\.step.host) == ["realserver", "realserver", "realserver"])
    }
}
