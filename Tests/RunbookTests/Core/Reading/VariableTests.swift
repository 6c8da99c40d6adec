import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookOps

/// Variables known when a runbook is read (front matter `vars:`, `--set`): typed steps are read
/// with their values, and a variable nothing sets stops exec before anything runs.
@Suite("variables")
struct VariableTests {
    private let forward = "---\nvars: {FWD: 1}\n---\n\n```sh\nsysctl -w net.ipv4.ip_forward=$FWD\n```\n"

    private func runbook(_ markdown: String) throws -> (path: String, cleanup: () -> Void) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rbt-vars-\(UUID().uuidString).md")
            .path
        try markdown.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, { try? FileManager.default.removeItem(atPath: path) })
    }

    @Test("a sysctl write that reads a vars: variable is a typed sysctl with its value, and records the variable")
    func frontMatterValue() throws {
        let step = try #require(try parse(forward).steps.first)
        #expect(step.sysctl?.key == "net.ipv4.ip_forward")
        #expect(step.sysctl?.value == "1")
        #expect(step.sysctl?.command == "sysctl -w net.ipv4.ip_forward=$FWD")
        #expect(step.variables == ["FWD"])
    }

    @Test("a --set value overrides the front matter's")
    func override() throws {
        let runbook = try Runbook.parse(markdown: forward, file: "test.md", overrides: ["FWD": "0"])
        #expect(runbook.steps.first?.sysctl?.value == "0")
        #expect(runbook.variables == ["FWD": "0"])
    }

    @Test("without a value the write stays a command")
    func unknown() throws {
        let step = try #require(try parse("```sh\nsysctl -w net.ipv4.ip_forward=$FWD\n```\n").steps.first)
        #expect(step.shellCommand?.text == "sysctl -w net.ipv4.ip_forward=$FWD")
        #expect(step.variables.isEmpty)
    }

    @Test("${NAME} is read as $NAME is")
    func braced() throws {
        let step = try #require(
            try parse("---\nvars: {FWD: 1}\n---\n\n```sh\necho ${FWD} > /proc/sys/net/ipv4/ip_forward\n```\n").steps
                .first)
        #expect(step.sysctl?.value == "1")
        #expect(step.variables == ["FWD"])
    }

    @Test("'$FWD' in single quotes is text, not the variable")
    func singleQuoted() throws {
        let step = try #require(
            try parse("---\nvars: {FWD: 1}\n---\n\n```sh\necho '$FWD' > /proc/sys/net/ipv4/ip_forward\n```\n").steps
                .first)
        #expect(step.sysctl?.value == "$FWD")
        #expect(step.variables.isEmpty)
    }

    @Test("route changes are typed with their variables too")
    func route() throws {
        let runbook = try Runbook.parse(
            markdown: "```sh\nip route add 10.9.0.0/16 via $GW\n```\n", file: "test.md", overrides: ["GW": "10.0.0.1"])
        #expect(runbook.steps.first?.route?.gateway == "10.0.0.1")
        #expect(runbook.steps.first?.variables == ["GW"])
    }

    @Test(
        "a value a shell would not read as it would be read in the text, or ${NAME:-default}, leaves a command",
        arguments: [
            ("sysctl -w net.ipv4.ip_forward=$FWD", "1;reboot"),
            ("sysctl -w net.ipv4.ip_forward=$FWD", "$(cat /x)"),
            ("sysctl -w net.ipv4.ip_forward=${FWD:-1}", "1"),
        ])
    func notSubstituted(_ command: String, _ value: String) throws {
        let runbook = try Runbook.parse(
            markdown: "```sh\n\(command)\n```\n", file: "test.md", overrides: ["FWD": value])
        #expect(runbook.steps.first?.shellCommand?.text == command)
    }

    @Test("a plain command keeps its variables, for the shell to expand")
    func plainCommand() throws {
        let step = try #require(try parse("---\nvars: {FWD: 1}\n---\n\n```sh\necho $FWD\n```\n").steps.first)
        #expect(step.shellCommand?.text == "echo $FWD")
        #expect(step.variables.isEmpty)
    }

    @Test("an escaped \\$NAME is not read, and a quote inside double quotes does not hide one")
    func references() {
        #expect(RunbookLint.variables(in: #"echo \$A "it's $B" '$C' $$D"#) == ["B"])
    }

    @Test("the plan shows the variable after the value")
    func plan() throws {
        let text = PlanRenderer(color: false).plan(try parse(forward))
        #expect(text.contains("sysctl net.ipv4.ip_forward = 1  ($FWD)"), "\(text)")
    }

    @Test("plan --set reads the runbook with the value")
    func planSet() throws {
        let (path, cleanup) = try runbook(forward)
        defer { cleanup() }
        let result = try runCLI(["plan", path, "--set", "FWD=0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sysctl net.ipv4.ip_forward = 0  ($FWD)"), "\(result.stdout)")
    }

    @Test("--set takes only shell identifiers, in plan and export as in exec", arguments: ["plan", "export"])
    func badName(_ command: String) throws {
        let (path, cleanup) = try runbook(forward)
        defer { cleanup() }
        let result = try runCLI([command, path, "--set", "1X=0"] + (command == "export" ? ["--format", "json"] : []))
        #expect(result.status != 0)
        #expect(result.stderr.contains("--set name '1X' is not a shell identifier"))
    }

    @Test("the runbook/v1 JSON lists a step's variables, and only where it has some")
    func json() throws {
        let text = String(decoding: try parse(forward + "\n```sh\nuptime\n```\n").json(), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.contains { $0.contains(#""kind":"sysctl""#) && $0.contains(#","variables":["FWD"]}"#) })
        #expect(lines.contains { $0.contains(#""command":"uptime""#) && !$0.contains("variables") })
    }

    @Test("exec without a terminal refuses a variable set nowhere, at its line, and runs nothing (exit 2)")
    func unsetRefused() throws {
        let marker = "/tmp/rbt-vars-unset-\(getpid())"
        let (path, cleanup) = try runbook("```sh\ntouch \(marker)\necho $UNSET_THING_X\n```\n")
        defer {
            cleanup()
            try? FileManager.default.removeItem(atPath: marker)
        }
        let result = try runCLI(["exec", path, "--yes", "--journal", "/dev/null"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "\(path):3: error: $UNSET_THING_X is set nowhere: give it with --set UNSET_THING_X=VALUE or under vars:"
            ),
            "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("a variable of runbook's own environment is set")
    func processEnvironment() throws {
        let (path, cleanup) = try runbook("```sh\necho $UNSET_THING_X\n```\n")
        defer { cleanup() }
        let result = try runCLI(["exec", path, "--yes", "--journal", "/dev/null"], environment: ["UNSET_THING_X": "1"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("exec --dry-run asks nothing and lists the variable as unset")
    func unsetDryRun() throws {
        let (path, cleanup) = try runbook("```sh\necho $UNSET_THING_X\n```\n")
        defer { cleanup() }
        let result = try runCLI(["exec", path, "--dry-run"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("\(path):2: warning: $UNSET_THING_X is set nowhere"), "\(result.stderr)")
    }

    @Test("exec on a terminal asks for the value and runs with it, as if given with --set")
    func unsetAsked() throws {
        let (path, cleanup) = try runbook("```console\n$ echo \"$UNSET_THING_X\"\nhello\n```\n")
        defer { cleanup() }
        let result = try runCLIOnTerminal(
            ["exec", path, "--yes", "--journal", "/dev/null"], environment: ["TERM": "dumb"], typing: "hello\n")
        #expect(result.stdout.contains("value for $UNSET_THING_X (\(path):2): "), "\(result.stdout)")
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("ok  output as documented"))
    }
}
