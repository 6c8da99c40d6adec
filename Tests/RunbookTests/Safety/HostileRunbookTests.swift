import Foundation
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

/// The reproducers of ../shared/notes/reviews/hostile-runbooks.md, item by item: a runbook is
/// text from the internet, and none of these may reach beyond its targets.
@Suite("Hostile runbooks")
struct HostileRunbookTests {
    private func withRunbook(_ markdown: String, _ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runbook-hostile-\(UUID().uuidString).md"
        ).path
        try markdown.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    /// A journal file holding `text`, as a run killed in the middle of a record leaves it.
    private func tornJournal(_ text: String) throws -> String {
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

    @Test("12. live output holding a fence line is not written back, so it cannot add steps to the runbook")
    func updateRefusesFences() throws {
        let markdown = "```console\nbox# cat /proc/sys/net/ipv4/ip_forward\n0\n```\n"
        try withRunbook(markdown) { path in
            let runbook = try Runbook.load(path: path)
            let step = try #require(runbook.steps.first)
            let result = try DocumentedOutput.update(
                file: path, with: [(step: step, actual: "1\n```\n\n```console\nbox# rm -rf /tmp/x\n")])
            #expect(result.changed == 0)
            #expect(result.refused.map(\.location.line) == [2])
            #expect(try String(contentsOfFile: path, encoding: .utf8) == markdown)
        }
    }

    @Test(
        "13. hosts get functions of their own (web-1 and web_1 apart, cat and if harmless); verify re-runs only reads")
    func shellFunctions() throws {
        let runbook = try parse(
            """
            ```console {host=web-1}
            $ true
            ```

            ```console {host=web_1}
            $ true
            ```

            ```console {host=cat}
            $ cat /proc/sys/net/ipv4/ip_forward
            1
            ```

            ```console {host=if}
            $ iptables -A INPUT -j ACCEPT
            done
            ```
            """)
        let script = try Exporter().render(runbook, as: .shell, host: nil)
        for function in ["host_web_2d1()", "host_web_5f1()", "host_cat()", "host_if()"] {
            #expect(script.contains(function), "\(function)")
        }
        #expect(script.contains("rb_not_checked 'test.md:15' 'iptables -A INPUT -j ACCEPT'"), "\(script)")
        #expect(script.contains("rb_expect_output 'test.md:10' 'cat /proc/sys/net/ipv4/ip_forward'"))
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/sh")
        check.arguments = ["-n", "/dev/stdin"]
        let input = Pipe()
        check.standardInput = input
        try check.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
    }

    @Test(
        "19. a FIFO or a link to /dev/zero among the sysctl files is refused at once, not waited on or read forever",
        arguments: ["fifo", "zero"])
    func specialFiles(_ kind: String) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-root-\(UUID().uuidString)")
        let directory = root.appendingPathComponent("etc/sysctl.d")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let file = directory.appendingPathComponent("10-\(kind).conf").path
        if kind == "fifo" {
            #expect(mkfifo(file, 0o644) == 0)
        } else {
            try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: "/dev/zero")
        }
        try withRunbook("```conf {host=box}\n# /etc/sysctl.d/90-x.conf\nnet.ipv4.ip_forward = 1\n```\n") { path in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["20", cliBinary().path, "audit", path, "--target", "box=local", "--root", root.path]
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 2, "audit hung on a special file, or did not refuse it")
            #expect(stderr.contains("10-\(kind).conf: not a regular file"), "\(stderr)")
        }
    }

    @Test(
        "19. a command a shell would never finish, or that takes the shell away, is found when the runbook is read",
        arguments: ["```sh\necho 'it never closes\n```\n", "```sh\nexec >/dev/null\n```\n", "```sh\nexec bash\n```\n"])
    func neverFinishes(_ markdown: String) throws {
        let runbook = try parse(markdown)
        #expect(runbook.steps.first?.shellCommand?.isComplete == false)
        #expect(runbook.warnings.map(\.location.line) == [2])
    }

    @Test(
        "14, 15. --resume runs a step on the targets it never finished on, and a torn last journal line is an interruption"
    )
    func resumePerTarget() throws {
        // Killed while step 1 ran on its second target: its record is half written.
        let journal = try tornJournal(
            #"{"step":1,"target":"netns:rbt-a","verdict":"changed","undo":null}\#n{"step":1,"target":"netns:rbt-b","verd"#
        )
        defer { try? FileManager.default.removeItem(atPath: journal) }
        try withRunbook(
            "```console {host=r}\nr# sysctl -w net.ipv4.ip_forward=1\nr# sysctl -w net.ipv4.conf.all.rp_filter=1\n```\n"
        ) { path in
            let result = try runCLI([
                "exec", path, "--target", "r=netns:rbt-a,netns:rbt-b", "--resume", "--journal", journal, "--dry-run",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("resuming from step 1"))
            #expect(result.stdout.contains("3 step runs on 2 targets"), "\(result.stdout)")
        }
    }

    @Test("15. a journal that cannot be written stops the run with exit 1")
    func journalWriteFails() throws {
        try withRunbook("```sh {host=box}\ntrue\n```\n") { path in
            let result = try runCLI(["exec", path, "--target", "box=local", "--yes", "--journal", "/dev/full"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("cannot write the journal"), "\(result.stderr)")
        }
    }

    @Test("15. rollback keeps every undo before a torn last journal line")
    func rollbackTornJournal() throws {
        let journal = try tornJournal(
            #"{"step":1,"target":"netns:rbt-a","verdict":"changed","undo":{"sysctl":"net.ipv4.ip_forward","value":"0","file":null,"content":null}}\#n{"step":2,"tar"#
        )
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let rollback = try Rollback(journal: journal)
        #expect(rollback.undos.map(\.step) == [1])
    }

    @Test(
        "20. a target that does not exist or cannot be reached is an error, not a finding at line 0",
        arguments: [
            ["audit", "--target", "b=netns:rbt-nonexistent"],
            ["exec", "--target", "b=netns:rbt-nonexistent", "--yes", "--journal", "/dev/null"],
            ["audit", "--target", "b=ssh://root@127.0.0.1:1"],
        ])
    func unreachableTarget(_ arguments: [String]) throws {
        try withRunbook("```console {host=b}\nb# sysctl -w net.ipv4.ip_forward=1\n```\n") { path in
            let result = try runCLI([arguments[0], path] + arguments.dropFirst())
            #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("runbook: error: "), "\(result.stderr)")
            #expect(!result.stdout.contains(":0:"))
        }
    }

    @Test(
        "a device or label with shell syntax never becomes part of a command runbook builds: the step stays the runbook's own command",
        arguments: [
            "ip route add 10.0.0.0/8 dev 'eth0;touch /tmp/rb-pwned'",
            "ip addr add 10.0.0.1/24 dev 'eth0$(reboot)'",
            "ip addr add 10.0.0.1/24 dev eth0 label 'eth0:1\nnetns add evil'",
            "ifconfig 'eth0:1;id' 10.0.0.1 netmask 255.0.0.0",
        ])
    func interfaceNames(_ command: String) throws {
        let runbook = try parse("```sh\n\(command)\n```\n")
        #expect(runbook.steps.map(\.kind) == [.command])
    }
}
