import Foundation
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

/// Commands on the local target: harmless ones only (`true`, `echo`), never a state change.
@Suite("exec commands and safety")
struct ExecCommandTests {
    private func runbook(_ markdown: String) throws -> (path: String, cleanup: () -> Void) {
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

@Suite("Persisted sysctl files")
struct SysctlConfigFileTests {
    @Test("an existing key is updated in place; comments, spacing and other keys stay")
    func updateInPlace() {
        let text =
            "# kernel tuning\nvm.swappiness=10\n\n; redirects\nnet.ipv4.conf.all.send_redirects  =   1\nkernel.sysrq = 0\n"
        #expect(
            SysctlConfigFile.setting("net.ipv4.conf.all.send_redirects", to: "0", in: text)
                == "# kernel tuning\nvm.swappiness=10\n\n; redirects\nnet.ipv4.conf.all.send_redirects  =   0\nkernel.sysrq = 0\n"
        )
    }

    @Test("an absent key is appended once; setting it again changes nothing")
    func append() throws {
        let first = try #require(SysctlConfigFile.setting("net.ipv4.ip_forward", to: "1", in: "# empty\n"))
        #expect(first == "# empty\nnet.ipv4.ip_forward = 1\n")
        #expect(SysctlConfigFile.setting("net.ipv4.ip_forward", to: "1", in: first) == nil)
    }

    @Test("keys match whatever their spelling in the file")
    func spelling() {
        #expect(SysctlConfigFile.setting("net.ipv4.ip_forward", to: "1", in: "net/ipv4/ip_forward = 1\n") == nil)
    }

    @Test("values compare as procps does, by whitespace-separated fields")
    func fields() {
        #expect(SysctlConfigFile.sameValue("4096\t87380   6291456", "4096 87380 6291456"))
        #expect(!SysctlConfigFile.sameValue("1", "10"))
    }

    @Test("the file is replaced atomically, keeping its mode, with no temporary file left")
    func atomicReplace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "runbook-conf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sysctl.conf").path
        try "# keep\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let local = DirectState(target: .local)
        #expect(try SysctlConfigFile.set("vm.swappiness", to: "5", inFileAt: path, on: local) == .some("# keep\n"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "# keep\nvm.swappiness = 5\n")
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["sysctl.conf"])
        #expect(try SysctlConfigFile.set("vm.swappiness", to: "5", inFileAt: path, on: local) == nil)
    }
}
