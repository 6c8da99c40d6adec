import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

/// `runbook exec` for real, in network namespaces the tests create and remove.
@Suite("exec in network namespaces", .enabled(if: TestLab.isAvailable, "\(TestLab.unavailableReason)"), .serialized)
struct ExecNamespaceTests {
    @Test("the example runbook configures director and realservers; a second run changes nothing")
    func exampleRunbook() throws {
        let lab = TestLab()
        let (director, servers) = try lab.lvsNat(realservers: 2)
        let hostConf = try? Data(contentsOf: URL(fileURLWithPath: "/etc/sysctl.conf"))
        let hostRedirects = try String(contentsOfFile: "/proc/sys/net/ipv4/conf/all/send_redirects", encoding: .utf8)
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let arguments = [
            "exec", "runbooks/one-network-nat.md", "--target", "director=netns:\(director)",
            "--target", "realserver=" + servers.map { "netns:\($0)" }.joined(separator: ","), "--yes", "--journal",
            journal,
            // The seed's steps: the IPVS service after them needs a kernel with IPVS.
            "--to", "9",
        ]

        let first = try runCLI(arguments)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        for key in ["all", "default", "eth0"] {
            #expect(try lab.inside(director, "cat /proc/sys/net/ipv4/conf/\(key)/send_redirects") == "0\n")
        }
        for server in servers {
            #expect(try lab.inside(server, "ip route show") == "default via 192.168.1.9 dev eth0 \n")
        }
        let persisted = try String(contentsOfFile: "/etc/netns/\(director)/sysctl.conf", encoding: .utf8)
        #expect(
            persisted
                == "net.ipv4.conf.all.send_redirects = 0\nnet.ipv4.conf.default.send_redirects = 0\nnet.ipv4.conf.eth0.send_redirects = 0\n"
        )

        let second = try runCLI(arguments)
        #expect(second.status == 0)
        let records = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        // 6 director steps + 3 steps on each of 2 realservers, twice.
        #expect(records.count == 24)
        let verdicts = records.suffix(12).compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["verdict"] as? String
        }
        // Realserver steps run once per target: route -n twice, route del twice, route -n twice.
        #expect(
            verdicts == Array(repeating: "unchanged", count: 6) + ["ok", "ok", "unchanged", "unchanged", "ok", "ok"])
        let hostConfAfter = try? Data(contentsOf: URL(fileURLWithPath: "/etc/sysctl.conf"))
        #expect(hostConfAfter == hostConf)
        #expect(
            try String(contentsOfFile: "/proc/sys/net/ipv4/conf/all/send_redirects", encoding: .utf8) == hostRedirects)
    }

    @Test(
        "--check changes nothing and says what would change, with the value and a diff of the file; after a run, unchanged"
    )
    func check() throws {
        let lab = TestLab()
        let (director, servers) = try lab.lvsNat(realservers: 1)
        let arguments = [
            "exec", "runbooks/one-network-nat.md", "--target", "director=netns:\(director)",
            "--target", "realserver=netns:\(servers[0])", "--to", "9",
        ]
        let checked = try runCLI(arguments + ["--check"])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.contains("would-change  net.ipv4.conf.all.send_redirects: 1 -> 0"), "\(checked.stdout)")
        #expect(checked.stdout.contains("+net.ipv4.conf.all.send_redirects = 0"), "\(checked.stdout)")
        #expect(checked.stdout.contains("/etc/netns/\(director)/sysctl.conf would be created"))
        #expect(checked.stdout.contains("would-change  ip route del 192.168.1.0/24"), "\(checked.stdout)")
        #expect(try lab.inside(director, "cat /proc/sys/net/ipv4/conf/all/send_redirects") == "1\n")
        #expect(!FileManager.default.fileExists(atPath: "/etc/netns/\(director)/sysctl.conf"))
        #expect(try lab.inside(servers[0], "ip route show").contains("192.168.1.0/24"))

        #expect(try runCLI(arguments + ["--yes", "--journal", "/dev/null"]).status == 0)
        let again = try runCLI(arguments + ["--check"])
        #expect(again.status == 0)
        #expect(!again.stdout.contains("would-change"), "\(again.stdout)")
        #expect(again.stdout.contains("unchanged  net.ipv4.conf.all.send_redirects = 0"), "\(again.stdout)")
    }

    /// A role of four namespaces and an ssh target that cannot be reached (ssh fails at once,
    /// sending nothing), whose third step fails on the third namespace.
    private func fleet(_ lab: TestLab) throws -> (runbook: String, arguments: [String], cleanup: () -> Void) {
        let names = try (1...4).map { try lab.add("f\($0)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-fleet")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let runbook = directory.appendingPathComponent("fleet.md").path
        try """
        ```console {host=r}
        r# sysctl -w net.ipv4.ip_forward=1
        r# sysctl -w net.ipv4.conf.all.rp_filter=2
        r# test "$(ip netns identify)" != \(names[2])
        r# sysctl -w net.ipv4.conf.default.rp_filter=2
        ```

        """.write(toFile: runbook, atomically: true, encoding: .utf8)
        let sshConfig = directory.appendingPathComponent("ssh_config").path
        try "Host *\n    ProxyCommand /bin/false\n".write(toFile: sshConfig, atomically: true, encoding: .utf8)
        let targets = names.map { "netns:\($0)" } + ["ssh://nowhere.invalid"]
        return (
            runbook, ["--target", "r=" + targets.joined(separator: ","), "--ssh-config", sshConfig, "--yes"],
            { try? FileManager.default.removeItem(at: directory) }
        )
    }

    @Test(
        "an unreachable target and one whose step fails drop out and are reported; with --max-fail-percent 50 the others finish; --resume runs only what each still lacks"
    )
    func fanOutDropsOut() throws {
        let lab = TestLab()
        let (runbook, arguments, cleanup) = try fleet(lab)
        defer { cleanup() }
        let journal = runbook + ".jsonl"
        let result = try runCLI(["exec", runbook, "--journal", journal, "--max-fail-percent", "50"] + arguments)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("dropped out: ssh://nowhere.invalid, netns:\(lab.prefix)-f3"), "\(result.stdout)")
        #expect(result.stdout.contains("4 step run(s) not attempted on the targets that dropped out"))
        for index in [1, 2, 4] {
            #expect(try lab.inside("\(lab.prefix)-f\(index)", "cat /proc/sys/net/ipv4/conf/default/rp_filter") == "2\n")
        }
        #expect(try lab.inside("\(lab.prefix)-f3", "cat /proc/sys/net/ipv4/conf/default/rp_filter") == "0\n")
        let resumed = try runCLI(
            ["exec", runbook, "--journal", journal, "--resume", "--dry-run"] + arguments.dropLast())
        #expect(resumed.stdout.contains("6 step runs on 2 targets"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains("r on netns:\(lab.prefix)-f3\n  3 "), "\(resumed.stdout)")
    }

    @Test("with --max-fail-percent 0 (the default) the first target that drops out stops the run")
    func fanOutStops() throws {
        let lab = TestLab()
        let (runbook, arguments, cleanup) = try fleet(lab)
        defer { cleanup() }
        let result = try runCLI(["exec", runbook, "--journal", "/dev/null"] + arguments)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("stopped: 1 of 5 target(s) of r dropped out (20 %, over --max-fail-percent 0)"),
            "\(result.stdout)")
        #expect(!result.stdout.contains("[2/4]"), "\(result.stdout)")
    }

    @Test(
        "a step runs on its targets at once: a step that waits for the others passes with --forks 3, not with --forks 1"
    )
    func fanOutAtOnce() throws {
        let lab = TestLab()
        let names = try (1...3).map { try lab.add("p\($0)") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-met")
        defer { try? FileManager.default.removeItem(at: directory) }
        let runbook = directory.path + ".md"
        defer { try? FileManager.default.removeItem(atPath: runbook) }
        // Each target marks itself, then waits up to 3 s for all three marks.
        try """
        ```console {host=r}
        r# mkdir -p \(directory.path) && touch \(directory.path)/$(ip netns identify) && for i in $(seq 30); do [ "$(ls \(directory.path) | wc -l)" -ge 3 ] && break; sleep 0.1; done; [ "$(ls \(directory.path) | wc -l)" -ge 3 ]
        ```

        """.write(toFile: runbook, atomically: true, encoding: .utf8)
        let target = [
            "--target", "r=" + names.map { "netns:\($0)" }.joined(separator: ","), "--yes", "--journal", "/dev/null",
        ]
        #expect(try runCLI(["exec", runbook, "--forks", "3"] + target).status == 0)
        try? FileManager.default.removeItem(at: directory)
        #expect(try runCLI(["exec", runbook, "--forks", "1"] + target).status == 1)
    }
}
