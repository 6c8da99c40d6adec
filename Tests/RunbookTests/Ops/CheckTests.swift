import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore

/// `runbook check`: lint by reading, preflight with targets.
@Suite("runbook check")
struct CheckTests {
    private func check(_ markdown: String, _ arguments: [String] = []) throws -> CLIResult {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rbt-check-\(UUID().uuidString).md")
            .path
        try markdown.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try runCLI(["check", path] + arguments)
    }

    @Test(
        "the examples have nothing to report",
        arguments: ["one-network-nat", "two-subnet-router", "lvs-dr", "rp-filter-asymmetric"])
    func examplesClean(_ name: String) throws {
        let result = try runCLI(["check", "runbooks/\(name).md"])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        #expect(result.stderr.contains("check: 0 errors, 0 warnings"))
    }

    @Test(
        "commands that never end by themselves are errors, with what to do instead",
        arguments: [
            ("vim /etc/sysctl.conf", "opens an editor"), ("man ip-route", "opens a pager"),
            ("top", "live view"), ("ping 10.0.0.1", "give a count"), ("sudo tcpdump -i eth0", "give -c N"),
            ("tail -f /var/log/messages", "follows the file"),
        ])
    func neverEnds(_ example: (command: String, reason: String)) throws {
        let result = try check("```sh\n\(example.command)\n```\n")
        #expect(result.status == 1)
        #expect(result.stdout.contains(":2: error: '\(example.command)'"), "\(result.stdout)")
        #expect(result.stdout.contains(example.reason))
    }

    @Test(
        "a count, a batch mode or a one-shot read is fine",
        arguments: ["ping -c 3 10.0.0.1", "top -b -n 1", "tail -n 20 /var/log/messages"])
    func ends(_ command: String) throws {
        #expect(try check("```sh\n\(command)\n```\n").status == 0)
    }

    @Test("placeholders are errors; the same text in quotes is taken as meant")
    func placeholders() throws {
        let result = try check(
            "```sh\ncurl http://<vip>/\nip route add 10.0.0.0/8 via x.x.x.x\ndocker images | grep \"^<none>\"\n```\n")
        #expect(result.stdout.contains(":2: error: 'curl http://<vip>/' holds a placeholder to fill in: <vip>"))
        #expect(result.stdout.contains(":3: error:"))
        #expect(!result.stdout.contains(":4:"))
    }

    @Test("a variable set nowhere is a warning; vars:, --set and an earlier step set it")
    func variables() throws {
        let unset = try check("```sh\nping -c 1 $GATEWAY\n```\n")
        #expect(unset.status == 0)
        #expect(unset.stdout.contains(":2: warning: $GATEWAY is set nowhere"))
        #expect(try check("---\nvars: {GATEWAY: 10.0.0.1}\n---\n```sh\nping -c 1 $GATEWAY\n```\n").stdout.isEmpty)
        #expect(try check("```sh\nping -c 1 $GATEWAY\n```\n", ["--set", "GATEWAY=10.0.0.1"]).stdout.isEmpty)
        #expect(try check("```sh\nGATEWAY=10.0.0.1\nping -c 1 \"$GATEWAY\"\n```\n").stdout.isEmpty)
    }

    @Test("a sysctl key this kernel does not have is a warning; an interface's key is looked up as default's")
    func unknownKey() throws {
        let result = try check(
            "```sh\nsysctl -w net.ipv4.conf.all.no_such_key=1\nsysctl -w net.ipv4.conf.eth9.rp_filter=2\n```\n")
        #expect(result.stdout.contains(":2: warning: sysctl key net.ipv4.conf.all.no_such_key does not exist"))
        #expect(!result.stdout.contains(":3:"))
    }

    @Test("a step without a host in a document with several is a warning")
    func noHost() throws {
        let result = try check(
            "# A\n\n```console\na# sysctl -w net.ipv4.ip_forward=1\n```\n\n# Other\n\n```sh\nuptime\n```\n\n# B\n\n```console\nb# uptime\n```\n"
        )
        #expect(result.stdout.contains(":10: warning: step 2 names no host"), "\(result.stdout)")
    }

    @Test(
        "with targets: a host without one is a warning, a missing program and an unreachable target are errors",
        .enabled(if: TestLab.isAvailable, "\(TestLab.unavailableReason)"))
    func preflight() throws {
        let lab = TestLab()
        let box = try lab.add("check")
        let result = try check(
            "```console\na# rb-no-such-program --now\na# ip route show\nb# uptime\n```\n",
            ["--target", "a=netns:\(box)", "--target", "c=netns:rbt-no-such-namespace"])
        #expect(result.status == 1)
        #expect(result.stdout.contains(":2: error: 'rb-no-such-program' is not installed on netns:\(box) (a)"))
        #expect(!result.stdout.contains("'ip' is not installed"))
        #expect(result.stdout.contains(":4: warning: host 'b' of step 3 has no target"))
    }
}
