import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

/// The reproducers that run: exec, audit --update, journals.
extension HostileRunbookTests {
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
