import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

/// `ssh://` targets against a real sshd (Debian's openssh-server) started inside a lab
/// namespace, with runbook itself run from the lab's client namespace: no traffic leaves the lab.
@Suite(
    "exec over ssh",
    .enabled(
        if: TestLab.isAvailable && TestLab.hasSSH,
        "needs root, network namespaces and openssh-server (scripts/setup.sh installs it)"), .serialized)
struct ExecSSHTests {
    @Test("the realserver steps run through ssh:// and a second run changes nothing")
    func realserverOverSSH() throws {
        let lab = TestLab()
        let (director, servers) = try lab.lvsNat(realservers: 1)
        let client = try lab.client(bridge: lab.bridge)
        // The director carries the realserver's replies once its on-link route is gone.
        try lab.run("ip netns exec \(director) sysctl -qw net.ipv4.ip_forward=1")
        let config = try lab.sshd(in: servers[0], address: "192.168.1.2")
        let journal = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-ssh.jsonl").path
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let arguments = [
            "exec", packageRoot.appendingPathComponent("runbooks/one-network-nat.md").path,
            "--target", "realserver=ssh://root@192.168.1.2:2222", "--ssh-config", config, "--yes", "--journal", journal,
        ]

        let first = try runCLI(arguments, inNamespace: client)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(
            first.stdout.contains(
                "realserver@ssh://root@192.168.1.2:2222  route  changed  ip route del 192.168.1.0/24 dev eth0"))
        #expect(first.stdout.contains("realserver@ssh://root@192.168.1.2:2222  command  ok  routes as documented"))
        #expect(first.stdout.components(separatedBy: "skipped  no target for host 'director'").count == 12)
        #expect(try lab.inside(servers[0], "ip route show") == "default via 192.168.1.9 dev eth0 \n")

        let second = try runCLI(arguments, inNamespace: client)
        #expect(second.status == 0)
        #expect(second.stdout.contains("route  unchanged  no route 192.168.1.0/24 to delete"))
    }

    @Test(
        "--engine ansible on three realservers reached over ssh gives the same verdicts, step by step and host by host, as runbook's own run, first run and re-run",
        .enabled(
            if: ansiblePlaybook != nil, "ansible-playbook is not installed (scripts/test.sh installs it from PyPI)"))
    func ansibleEngine() throws {
        let lab = TestLab()
        let (_, servers) = try lab.lvsNat(realservers: 3)
        let client = try lab.client(bridge: lab.bridge)
        var config = ""
        for (index, server) in servers.enumerated() {
            config = try lab.sshd(in: server, address: "192.168.1.\(index + 2)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-engine")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inventory = directory.appendingPathComponent("hosts").path
        try """
        [realserver]
        rs[1:3] ansible_host=192.168.1.X

        [realserver:vars]
        ansible_user=root
        ansible_port=2222
        ansible_become=false
        ansible_python_interpreter=/usr/bin/python3

        """.replacingOccurrences(
            of: "rs[1:3] ansible_host=192.168.1.X",
            with: "rs1 ansible_host=192.168.1.2\nrs2 ansible_host=192.168.1.3\nrs3 ansible_host=192.168.1.4"
        )
        .write(toFile: inventory, atomically: true, encoding: .utf8)
        let runbook = directory.appendingPathComponent("fleet.md").path
        try """
        ```console {host=realserver}
        realserver# sysctl -w net.ipv4.ip_forward=1
        realserver# sysctl -w net.ipv4.conf.all.rp_filter=2
        realserver# ip route add 10.9.0.0/16 via 192.168.1.9
        realserver# true
        ```

        """.write(toFile: runbook, atomically: true, encoding: .utf8)
        func verdicts(_ engine: String) throws -> [String] {
            let report = directory.appendingPathComponent("\(engine).json").path
            let result = try runCLI(
                [
                    "exec", runbook, "--inventory", inventory, "--ssh-config", config, "--yes", "--engine", engine,
                    "--journal", directory.appendingPathComponent("\(engine).jsonl").path, "--report", "json:\(report)",
                ], inNamespace: client)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let steps = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report)))
                    as? [[String: Any]])
            return steps.map { "\($0["step"]!) \($0["target"]!) \($0["verdict"]!)" }.sorted()
        }
        func reset() throws {
            for server in servers {
                try lab.run(
                    "ip netns exec \(server) sh -c 'sysctl -qw net.ipv4.ip_forward=0 net.ipv4.conf.all.rp_filter=0; ip route del 10.9.0.0/16'"
                )
            }
        }
        let byAnsible = try verdicts("ansible")
        #expect(byAnsible.count == 12)
        #expect(byAnsible.filter { $0.hasSuffix(" changed") }.count == 9, "\(byAnsible)")
        #expect(byAnsible.contains("1 ssh://root@192.168.1.3:2222 changed"), "\(byAnsible)")
        try reset()
        #expect(try verdicts("runbook") == byAnsible)
        let againByAnsible = try verdicts("ansible")
        #expect(againByAnsible.filter { $0.hasSuffix(" unchanged") }.count == 9, "\(againByAnsible)")
        #expect(try verdicts("runbook") == againByAnsible)
    }

    @Test("an ssh target that accepts the connection and never answers fails its step within --timeout, saying so")
    func silentTarget() throws {
        let lab = TestLab()
        let box = try lab.add("silent")
        // A port that accepts connections and says nothing: no SSH banner ever comes. It first
        // closes what it inherited (Foundation's Process waits for its child's children to
        // close the descriptor it watches the exit with).
        try lab.run(
            """
            ip netns exec \(box) python3 -c 'import os, socket
            os.closerange(3, 65536)
            s = socket.socket(); s.bind(("127.0.0.1", 2223)); s.listen(8)
            held = [s.accept() for _ in range(8)]' >/dev/null 2>&1 &
            """)
        for _ in 0..<50 where (try? lab.inside(box, "ss -Hltn sport = 2223"))?.isEmpty ?? true {
            Thread.sleep(forTimeInterval: 0.1)
        }
        let runbook = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-silent.md").path
        try "```console\nroot@web:~# true\n```\n".write(toFile: runbook, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: runbook) }
        let started = Date()
        let result = try runCLI(
            [
                "exec", runbook, "--target", "web=ssh://root@127.0.0.1:2223", "--yes", "--journal", "/dev/null",
                "--timeout", "2",
            ], inNamespace: box)
        #expect(result.status == 1)
        #expect(result.stdout.contains("did not answer within 2 s"), "\(result.stdout)\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 15)
    }

    @Test("5. each run has its own ssh control directory, removed at exit, and leaves no master behind")
    func privateControlMaster() throws {
        let lab = TestLab()
        let (director, servers) = try lab.lvsNat(realservers: 1)
        let client = try lab.client(bridge: lab.bridge)
        // The director carries the realserver's replies once its on-link route is gone.
        try lab.run("ip netns exec \(director) sysctl -qw net.ipv4.ip_forward=1")
        let config = try lab.sshd(in: servers[0], address: "192.168.1.2")
        let controlDirectories = {
            Set(
                ((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter {
                    $0.hasPrefix("runbook-ssh-")
                })
        }
        let before = controlDirectories()
        let result = try runCLI(
            [
                "exec", packageRoot.appendingPathComponent("runbooks/one-network-nat.md").path, "--host", "realserver",
                "--target", "realserver=ssh://root@192.168.1.2:2222", "--ssh-config", config, "--yes", "--journal",
                "/dev/null", "--timeout", "30",
            ], inNamespace: client)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(controlDirectories() == before)
        // A master that outlives its session renames itself `ssh: PATH [mux]`.
        let masters = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { entry in
            entry.allSatisfy(\.isNumber)
                && (FileManager.default.contents(atPath: "/proc/\(entry)/cmdline").map {
                    String(decoding: $0, as: UTF8.self).contains("/tmp/runbook-ssh-")
                } ?? false)
        }
        #expect(masters.isEmpty, "\(masters)")
    }

    @Test("16. Ctrl-C on an ssh step kills the remote command too, and exits 130")
    func interruptRemote() throws {
        let lab = TestLab()
        let (_, servers) = try lab.lvsNat(realservers: 1)
        let client = try lab.client(bridge: lab.bridge)
        let config = try lab.sshd(in: servers[0], address: "192.168.1.2")
        let marker = "32.\(getpid())"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-remote.md").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "```sh {host=rs}\nsleep \(marker)\n```\n".write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "ip", "netns", "exec", client, cliBinary().path, "exec", path, "--target", "rs=ssh://root@192.168.1.2:2222",
            "--ssh-config", config, "--yes", "--journal", "/dev/null",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The sshd runs on this machine, in a namespace: its processes are visible here.
        for _ in 0..<200 where !TestLab.processRuns(["sleep", marker]) { usleep(25_000) }
        #expect(TestLab.processRuns(["sleep", marker]))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        for _ in 0..<40 where TestLab.processRuns(["sleep", marker]) { usleep(50_000) }
        #expect(!TestLab.processRuns(["sleep", marker]), "the remote command outlived the interruption")
    }

    @Test("sysctl steps over ssh:// write only when the value differs, in one command each")
    func sysctlOverSSH() throws {
        let lab = TestLab()
        let (servers, client, path, arguments) = try realserverOverSSH(
            lab, "rs# sysctl -w net.ipv4.conf.eth0.send_redirects=0 net.ipv4.tcp_rmem='4096 87380 6291456'")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try runCLI(arguments, inNamespace: client)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("changed  net.ipv4.conf.eth0.send_redirects: 1 -> 0"))
        #expect(try lab.inside(servers[0], "cat /proc/sys/net/ipv4/conf/eth0/send_redirects") == "0\n")
        let second = try runCLI(arguments, inNamespace: client)
        #expect(second.stdout.contains("unchanged  net.ipv4.conf.eth0.send_redirects = 0"))
        #expect(second.stdout.contains("unchanged  net.ipv4.tcp_rmem = 4096\t87380\t6291456"))
    }

    @Test(
        "a route change that would cut the SSH connection is refused; --revert-after applies it and the target restores the route"
    )
    func lockOut() throws {
        let lab = TestLab()
        let (_, servers) = try lab.lvsNat(realservers: 1)
        let client = try lab.client(bridge: lab.bridge)
        let config = try lab.sshd(in: servers[0], address: "192.168.1.2")
        // Only the on-link route leads back to the client now.
        try lab.run("ip -n \(servers[0]) route del default")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-lockout.md").path
        try "```console\nrs# ip route del 192.168.1.0/24 dev eth0\n```\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let arguments = [
            "exec", path, "--target", "rs=ssh://root@192.168.1.2:2222", "--ssh-config", config, "--yes", "--journal",
            "/dev/null",
        ]

        let refused = try runCLI(arguments, inNamespace: client)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("would leave ssh://root@192.168.1.2:2222 no route back to 192.168.1.254"))
        #expect(refused.stdout.contains("Refused: use --revert-after SECONDS"))
        #expect(try lab.inside(servers[0], "ip route show").contains("192.168.1.0/24 dev eth0"))

        let reverted = try runCLI(arguments + ["--revert-after", "2"], inNamespace: client)
        #expect(reverted.status == 1)
        #expect(reverted.stdout.contains("the SSH connection was lost"))
        var restored = false
        for _ in 0..<40 where !restored {
            usleep(250_000)
            restored = (try? lab.inside(servers[0], "ip route show"))?.contains("192.168.1.0/24 dev eth0") == true
        }
        #expect(restored, "the revert timer on the target did not restore the route")
    }

    @Test(
        "over ssh, address steps are idempotent, and removing the address the session arrives on is refused without --allow-disconnect"
    )
    func addressLockOut() throws {
        let lab = TestLab()
        let (servers, client, path, arguments) = try realserverOverSSH(
            lab, "rs# ip addr add 10.44.0.1/24 dev eth0 label eth0:44\nrs# ip addr del 192.168.1.2/24 dev eth0")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let refused = try runCLI(arguments, inNamespace: client)
        #expect(refused.status == 1)
        #expect(
            refused.stdout.contains("address  changed  ip addr add 10.44.0.1/24 dev eth0 label eth0:44"),
            "\(refused.stdout)")
        #expect(
            refused.stdout.contains(
                "removes 192.168.1.2, the address ssh://root@192.168.1.2:2222's SSH connection arrives on. Refused"))
        #expect(try lab.inside(servers[0], "ip -o -4 addr show dev eth0").contains("inet 192.168.1.2/24"))
        let again = try runCLI(arguments, inNamespace: client)
        #expect(again.stdout.contains("address  unchanged  10.44.0.1/24 on eth0 present"), "\(again.stdout)")
    }

    /// A realserver running sshd at 192.168.1.2:2222, a client namespace to reach it from, and
    /// a runbook of `transcript` for host `rs`, with the exec arguments that run it there.
    private func realserverOverSSH(
        _ lab: TestLab, _ transcript: String
    ) throws -> (servers: [String], client: String, path: String, arguments: [String]) {
        let (_, servers) = try lab.lvsNat(realservers: 1)
        let client = try lab.client(bridge: lab.bridge)
        let config = try lab.sshd(in: servers[0], address: "192.168.1.2")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(lab.prefix)-ssh-\(UUID().uuidString).md"
        )
        .path
        try "```console\n\(transcript)\n```\n".write(toFile: path, atomically: true, encoding: .utf8)
        let arguments = [
            "exec", path, "--target", "rs=ssh://root@192.168.1.2:2222", "--ssh-config", config, "--yes", "--journal",
            "/dev/null",
        ]
        return (servers, client, path, arguments)
    }
}
