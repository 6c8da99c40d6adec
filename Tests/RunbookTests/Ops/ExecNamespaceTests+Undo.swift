import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

extension ExecNamespaceTests {
    @Test("--rollback restores the original sysctls, files and routes, last first; a second rollback changes nothing")
    func rollback() throws {
        let lab = TestLab()
        let (director, servers) = try lab.lvsNat(realservers: 1)
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-rollback.jsonl").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let routesBefore = try lab.inside(servers[0], "ip route show")
        let run = try runCLI([
            "exec", "runbooks/one-network-nat.md", "--target", "director=netns:\(director)",
            "--target", "realserver=netns:\(servers[0])", "--yes", "--journal", journal, "--to", "9",
        ])
        #expect(run.status == 0)

        let undo = try runCLI(["exec", "--rollback", journal, "--yes"])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        for key in ["all", "default", "eth0"] {
            #expect(try lab.inside(director, "cat /proc/sys/net/ipv4/conf/\(key)/send_redirects") == "1\n")
        }
        #expect(!FileManager.default.fileExists(atPath: "/etc/netns/\(director)/sysctl.conf"))
        #expect(
            Set(
                try lab.inside(servers[0], "ip route show").split(separator: "\n").map {
                    $0.split(separator: " ").prefix(3)
                })
                == Set(routesBefore.split(separator: "\n").map { $0.split(separator: " ").prefix(3) }))

        let again = try runCLI(["exec", "--rollback", journal, "--yes"])
        #expect(again.status == 0)
        #expect(!again.stdout.contains(": changed"))
    }

    @Test(
        "22. a key changed by two steps is rolled back to what the first found, and a second rollback changes nothing")
    func rollbackTwice() throws {
        let lab = TestLab()
        let box = try lab.add("rb2")
        let original = try lab.inside(box, "cat /proc/sys/net/ipv4/conf/all/rp_filter")
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-twice.jsonl").path
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-twice.md").path
        defer {
            try? FileManager.default.removeItem(atPath: journal)
            try? FileManager.default.removeItem(atPath: path)
        }
        let first = original == "1\n" ? "2" : "1"
        try
            "```console {host=box}\nbox# sysctl -w net.ipv4.conf.all.rp_filter=\(first)\nbox# sysctl -w net.ipv4.conf.all.rp_filter=\(first == "1" ? "0" : "1")\n```\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let run = try runCLI(["exec", path, "--target", "box=netns:\(box)", "--yes", "--journal", journal])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        for _ in 0..<2 {
            let undo = try runCLI(["exec", "--rollback", journal, "--yes"])
            #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
            #expect(try lab.inside(box, "cat /proc/sys/net/ipv4/conf/all/rp_filter") == original)
        }
        let again = try runCLI(["exec", "--rollback", journal, "--yes"])
        #expect(!again.stdout.contains(": changed"), "\(again.stdout)")
    }

    @Test("10. a document's PATH or LD_PRELOAD never reaches runbook's own commands (ip netns exec, its route changes)")
    func documentEnvironment() throws {
        let lab = TestLab()
        let box = try lab.add("env")
        _ = try TestLab.shell(
            "ip -n \(box) link add rbveth0 type veth peer name rbveth1 && ip -n \(box) link set rbveth0 up")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-env.md").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
        ---
        vars:
          PATH: /nonexistent
          LD_PRELOAD: /nonexistent/evil.so
        ---

        ```console {host=box}
        box# ip route add 10.99.0.0/24 dev rbveth0
        ```

        """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runCLI(["exec", path, "--target", "box=netns:\(box)", "--yes", "--journal", "/dev/null"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stderr.contains("ld.so"), "\(result.stderr)")
        #expect(try lab.inside(box, "ip route show 10.99.0.0/24").contains("dev rbveth0"))
    }

    @Test("3. a net.* key the kernel keeps only for the host fails on a namespace target, saying it is the host's")
    func hostOnlyNetKey() throws {
        let lab = TestLab()
        let box = try lab.add("key")
        guard (try? lab.inside(box, "test -e /proc/sys/net/core/netdev_max_backlog && echo yes")) != "yes\n" else {
            return  // this kernel keeps it per namespace
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-key.md").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "```console {host=b}\nb# sysctl -w net.core.netdev_max_backlog=5000\n```\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let before = try String(contentsOfFile: "/proc/sys/net/core/netdev_max_backlog", encoding: .utf8)
        let exec = try runCLI(["exec", path, "--target", "b=netns:\(box)", "--yes", "--journal", "/dev/null"])
        #expect(exec.status == 1)
        #expect(exec.stdout.contains("net.core.netdev_max_backlog is not per network namespace"), "\(exec.stdout)")
        let audit = try runCLI(["audit", path, "--target", "b=netns:\(box)"])
        #expect(audit.stdout.contains("it is the host's"), "\(audit.stdout)")
        #expect(try String(contentsOfFile: "/proc/sys/net/core/netdev_max_backlog", encoding: .utf8) == before)
    }

    @Test("a documented starting state that differs warns; --strict makes it fatal")
    func precondition() throws {
        let lab = TestLab()
        let (_, servers) = try lab.lvsNat(realservers: 1)
        try lab.run("ip -n \(servers[0]) route del 192.168.1.0/24 dev eth0")
        let target = [
            "--target", "realserver=netns:\(servers[0])", "--only", "command", "--to", "7", "--yes", "--journal",
            "/dev/null",
        ]
        let relaxed = try runCLI(["exec", "runbooks/one-network-nat.md"] + target)
        #expect(relaxed.status == 0)
        #expect(relaxed.stderr.contains("warning: the documented starting state differs"))
        #expect(!relaxed.stdout.contains("warning:"))
        #expect(relaxed.stdout.contains("-192.168.1.0/24 dev eth0"))
        let strict = try runCLI(["exec", "runbooks/one-network-nat.md", "--strict"] + target)
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("drift"))
    }

    @Test("a crash while the new sysctl file is written leaves the old file intact")
    func crashDuringPersist() throws {
        let lab = TestLab()
        let namespace = try lab.add("h")
        let file = "/etc/netns/\(namespace)/sysctl.conf"
        try FileManager.default.createDirectory(atPath: "/etc/netns/\(namespace)", withIntermediateDirectories: true)
        let original =
            "# kept\n"
            + String(repeating: "# padding so that the new file is larger than the file size limit\n", count: 80)
        try original.write(toFile: file, atomically: true, encoding: .utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-crash.md").path
        try "Persist it in `/etc/sysctl.conf`:\n\n```conf {host=h}\nnet.ipv4.ip_forward = 1\n```\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A file size limit below the new file's size: the kernel kills runbook (SIGXFSZ, set to
        // its default action: test runners ignore it) in the middle of writing it, a real crash
        // between write and rename.
        #expect {
            try TestLab.shell(
                "ulimit -f 2; exec env --default-signal=XFSZ \(cliBinary().path) exec \(path) --target h=netns:\(namespace) --yes --journal /dev/null"
            )
        } throws: { error in
            // Killed by SIGXFSZ (25) mid-write, not a handled error (runbook exits 0, 1 or 2).
            "\(error)".contains("exit 25:")
        }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == original)
    }

    @Test("route steps: deleting an absent route and adding a present one are unchanged")
    func routeIdempotence() throws {
        let lab = TestLab()
        let (_, servers) = try lab.lvsNat(realservers: 1)
        let plan = try ExecPlan(
            runbook: parse(
                """
                ```console
                rs# ip route add 10.9.0.0/16 via 192.168.1.9 dev eth0
                rs# ip route add 10.9.0.0/16 via 192.168.1.9 dev eth0
                rs# ip route del 10.9.0.0/16
                rs# ip route del 10.9.0.0/16
                ```
                """),
            options: {
                var o = ExecPlan.Options(); o.targets.roles["rs"] = [.netns(servers[0])]; return o
            }())
        let outcomes = Executor(plan: plan, journal: nil).run()
        #expect(outcomes.map(\.verdict) == [.changed, .unchanged, .changed, .unchanged])
        let route = RouteEntry(
            destination: "10.9.0.0/16", gateway: "192.168.1.9", device: "eth0", metric: 0, flags: "UG")
        #expect(outcomes[0].undo == .route(restore: [], remove: [route]))
        #expect(outcomes[2].undo == .route(restore: [route], remove: []))
    }
}
