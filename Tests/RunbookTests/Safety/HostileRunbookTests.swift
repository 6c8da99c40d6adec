import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

/// The reproducers of ../shared/notes/reviews/hostile-runbooks.md, item by item: a runbook is
/// text from the internet, and none of these may reach beyond its targets.
@Suite("Hostile runbooks")
struct HostileRunbookTests {
    func withRunbook(_ markdown: String, _ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runbook-hostile-\(UUID().uuidString).md"
        ).path
        try markdown.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    /// A journal file holding `text`, as a run killed in the middle of a record leaves it.
    func tornJournal(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runbook-torn-\(UUID().uuidString).jsonl"
        )
        .path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(
        "1. a /proc/sys path with '..' is refused at its line",
        arguments: [
            "```console {host=box}\nbox# echo PWNED > /proc/sys/net/../../../tmp/victim\n```\n",
            "```conf {host=box}\nnet.//.//.//.tmp.secret = x\n```\n",
        ])
    func dotDotKey(_ markdown: String) throws {
        try withRunbook(markdown) { path in
            let result = try runCLI(["exec", path, "--target", "box=local", "--dry-run"])
            #expect(result.status == 2)
            #expect(result.stderr.contains("\(path):2: error: "), "\(result.stderr)")
            #expect(result.stderr.contains("outside /proc/sys"))
        }
    }

    @Test(
        "2. a persist path that leaves the sysctl directories is no persist path",
        arguments: [
            "/etc/sysctl.d/../../../../tmp/evil.conf", "/etc/sysctl.d/../../../../etc/sysctl.conf",
            "/etc/sysctl.d/{{x}}.conf",
        ])
    func persistTraversal(_ path: String) throws {
        #expect(!SysctlSetting.isConfigFile(path))
        #expect(Target.netns("rbtA").persistPath(path) == nil)
        #expect(Target.local.persistPath(path) == nil)
        let runbook = try parse(
            "Persisted in `\(path)`:\n\n```conf {host=box}\nnet.ipv4.conf.all.forwarding = 1\n```\n")
        #expect(runbook.steps.first?.sysctl?.persist != path)
    }

    @Test(
        "4. an ssh user or host that starts with '-' is refused",
        arguments: [
            "ssh://-oProxyCommand=touch /tmp/M-ssh@host", "ssh://user@-oProxyCommand=x", "netns:-x", "netns:a b",
        ])
    func sshOption(_ text: String) {
        #expect(Target.parse(text) == nil)
    }

    @Test("4. a front matter target that would be an ssh option makes audit exit 2 before anything runs")
    func frontMatterSSHOption() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("M-ssh-fm-\(UUID().uuidString)").path
        let markdown =
            "---\ntargets:\n  rs: \"ssh://-oProxyCommand=touch \(marker)\"\n---\n# T\n\n```console {host=rs}\nrs# cat /proc/sys/net/ipv4/ip_forward\n0\n```\n"
        try withRunbook(markdown) { path in
            let result = try runCLI(["audit", path])
            #expect(result.status == 2)
            #expect(result.stderr.contains("\(path):3:"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("7. Jinja in a value stays data in the Ansible export: every runbook scalar is !unsafe")
    func jinja() throws {
        let runbook = try parse(
            "# J\n\n```console {host=box}\nbox# sysctl -w net.ipv4.conf.all.forwarding=\"{{ lookup('pipe', 'touch /tmp/M') }}\"\n```\n"
        )
        let playbook = try Exporter().render(runbook, as: .ansible, host: nil)
        for line in playbook.split(separator: "\n") where line.contains("lookup('pipe'") {
            #expect(line.contains("!unsafe \""), "\(line)")
        }
    }

    @Test(
        "9. a newline in the title or the file name cannot start a line of an export",
        arguments: [Exporter.Format.shell, .sysctl, .ansible])
    func newlineInTitle(_ format: Exporter.Format) throws {
        let runbook = try parse(
            "---\ntitle: \"T\\ntouch /tmp/M-title\\n#\"\n---\n# x\n\n```conf {host=box}\nnet.ipv4.conf.all.forwarding = 1\n```\n",
            file: "y\nkernel.core_pattern = |evil\n#.md")
        let text = try Exporter().render(runbook, as: format, host: "box")
        #expect(!text.contains("\ntouch /tmp/M-title"))
        #expect(!text.contains("\nkernel.core_pattern"))
    }

    @Test("10. a vars name that is no shell identifier never reaches export NAME=")
    func variableName() {
        let errors = parseErrors("---\nvars:\n  \"LD_PRELOAD=x; touch /tmp/M\": 1\n---\n")
        #expect(errors.first?.message.contains("not a shell identifier") == true)
    }

    @Test("3. a host-wide sysctl on a namespace target is refused at its line", arguments: ["exec", "audit"])
    func hostWideSysctl(_ command: String) throws {
        try withRunbook("# H\n\n```console {host=box}\nbox# sysctl -w vm.swappiness=10\n```\n") { path in
            let extra = command == "exec" ? ["--dry-run"] : []
            let result = try runCLI([command, path, "--target", "box=netns:rbt-nonexistent"] + extra)
            #expect(result.status == 2)
            // Printed like a compiler's diagnostic, at the step's line.
            #expect(
                result.stderr.contains("\(path):4: error: vm.swappiness is not per network namespace"),
                "\(result.stderr)")
        }
    }

    @Test("20. a --target role that no step runs on is a usage error, not a run of nothing")
    func unknownRole() throws {
        let result = try runCLI(["exec", "runbooks/one-network-nat.md", "--target", "directr=local", "--dry-run"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("role 'directr'"), "\(result.stderr)")
    }

    @Test(
        "7. audit runs no command that could change anything, {audit} or not",
        arguments: [
            "```console {host=box audit}\nbox# touch MARKER\nanything\n```\n",
            "```console {host=box}\nbox# ip route show \"`touch MARKER`\"\ndefault via 10.0.0.1 dev eth0\n```\n",
            "```console {host=box}\nbox# cat /proc/sys/net/ipv4/ip_forward$(touch MARKER)\n1\n```\n",
        ])
    func auditIsReadOnly(_ markdown: String) throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-audit-\(UUID().uuidString)")
            .path
        try withRunbook(markdown.replacingOccurrences(of: "MARKER", with: marker)) { path in
            let result = try runCLI(["audit", path, "--target", "box=local"])
            #expect(!FileManager.default.fileExists(atPath: marker), "\(result.stdout)")
            #expect(result.stdout.contains("not-audited"), "\(result.stdout)")
        }
        try? FileManager.default.removeItem(atPath: marker)
    }

    @Test(
        "10, 18. --set names that are no shell identifiers and timeouts that are no durations are usage errors",
        arguments: [
            ["--set", "X;touch /tmp/pwned=1"], ["--set", "LD_PRELOAD x=1"], ["--set", "=1"], ["--timeout", "nan"],
            ["--timeout", "-1"], ["--revert-after", "inf"],
        ])
    func badOptions(_ options: [String]) throws {
        let result = try runCLI(["exec", "runbooks/one-network-nat.md", "--dry-run"] + options)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("Error: "), "\(result.stderr)")
    }

    @Test("18. export works from a binary copied away from its build tree: the templates are compiled in")
    func exportFromCopiedBinary() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runbook-moved-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("runbook")
        // Copied by `cp`, not in this process: a child that another test forks while the copy is
        // open for writing would hold it open, and running it would fail with ETXTBSY.
        try TestLab.shell("cp '\(cliBinary().path)' '\(copy.path)'")
        let process = Process()
        process.executableURL = copy
        process.arguments = [
            "export", packageRoot.appendingPathComponent("runbooks/one-network-nat.md").path, "--format", "shell",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
