import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookOps

/// Address and IPVS steps on real namespaces: exec, rollback, audit and the exported script.
/// This machine's kernel has no IPVS, so IPVS steps are tested on the path a machine without
/// it takes, for real.
@Suite(
    "address and IPVS steps in network namespaces", .enabled(if: TestLab.isAvailable, "\(TestLab.unavailableReason)"),
    .serialized)
struct AddressExecTests {
    static let runbook = """
        # Addresses

        ```console
        box# ip addr add 10.20.0.1/24 dev eth0
        box# ifconfig eth0:110 10.20.0.110 netmask 255.255.255.0 up
        box# ip addr del 10.30.0.1/24 dev eth1
        box# ip addr show dev eth0
        2: eth0@eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
            link/ether 6e:5f:2a:11:22:33 brd ff:ff:ff:ff:ff:ff
            inet 10.20.0.1/24 scope global eth0
               valid_lft forever preferred_lft forever
            inet 10.20.0.110/24 scope global secondary eth0:110
               valid_lft forever preferred_lft forever
        ```
        """

    static let ipvsRunbook = """
        # Service

        ```console
        box# ipvsadm -A -t 10.20.0.110:80 -s rr
        box# ipvsadm -a -t 10.20.0.110:80 -r 10.20.0.2 -m -w 2
        ```
        """

    /// A namespace with a veth pair inside it: `eth0` bare, `eth1` with 10.30.0.1/24.
    private func box(_ lab: TestLab) throws -> String {
        let box = try lab.add("addr")
        try lab.run(
            """
            ip -n \(box) link add eth0 type veth peer name eth1 && ip -n \(box) link set eth0 up && \
            ip -n \(box) link set eth1 up && ip -n \(box) addr add 10.30.0.1/24 dev eth1
            """)
        return box
    }

    private func write(_ text: String, _ lab: TestLab, _ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-\(name)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `10.20.0.110/24 eth0 eth0:110` for each address, sorted.
    private func addresses(_ box: String) throws -> [String] {
        AddressTable.parse(oneLine: try TestLab.shell("ip netns exec \(box) ip -o -4 addr show")).map {
            "\($0.address) \($0.device) \($0.label ?? "-")"
        }.sorted()
    }

    @Test("exec: changed, then unchanged; audit clean, then finds a removed address; rollback restores")
    func execAuditRollback() throws {
        let lab = TestLab()
        let box = try box(lab)
        let path = try write(Self.runbook, lab, "addr.md")
        let journal = path + ".jsonl"
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: journal)
        }
        let target = ["--target", "box=netns:\(box)"]
        let before = try addresses(box)

        let first = try runCLI(["exec", path, "--yes", "--journal", journal] + target)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.split(separator: "\n").filter { $0.contains(" address  changed ") }.count == 3)
        #expect(first.stdout.contains("command  ok  addresses as documented"), "\(first.stdout)")
        let live = try lab.inside(box, "ip -o -4 addr show")
        #expect(live.contains("inet 10.20.0.1/24"))
        #expect(live.contains("inet 10.20.0.110/24") && live.contains("eth0:110"))
        #expect(!live.contains("10.30.0.1/24"))

        let second = try runCLI(["exec", path, "--yes", "--journal", "/dev/null"] + target)
        #expect(second.status == 0)
        #expect(second.stdout.split(separator: "\n").filter { $0.contains(" address  unchanged ") }.count == 3)

        let clean = try runCLI(["audit", path] + target)
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(clean.stdout.contains("(4 ok, 0 drift"), "\(clean.stdout)")

        try lab.run("ip -n \(box) addr del 10.20.0.110/24 dev eth0")
        let drift = try runCLI(["audit", path, "--format", "json"] + target)
        #expect(drift.status == 1)
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(drift.stdout.utf8)) as? [[String: Any]])
        let removed = findings.first { ($0["subject"] as? String)?.contains("10.20.0.110/24") == true }
        #expect(removed?["kind"] as? String == "address")
        #expect(removed?["verdict"] as? String == "drift")
        let listing = findings.first { $0["subject"] as? String == "ip addr show dev eth0" }
        #expect(listing?["verdict"] as? String == "drift")
        #expect((listing?["detail"] as? String)?.contains("-10.20.0.110/24 dev eth0") == true)

        let undo = try runCLI(["exec", "--rollback", journal, "--yes"])
        #expect(undo.status == 0, "\(undo.stdout)\(undo.stderr)")
        #expect(try addresses(box) == before)
    }

    @Test("ipvs steps fail on a target without IPVS, saying so; audit reports the table not audited")
    func ipvsWithoutIPVS() throws {
        let lab = TestLab()
        let box = try box(lab)
        let path = try write(Self.ipvsRunbook, lab, "ipvs.md")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let target = ["--target", "box=netns:\(box)"]
        try #require(!FileManager.default.fileExists(atPath: "/proc/net/ip_vs"), "this kernel has IPVS")
        let run = try runCLI(["exec", path, "--yes", "--journal", "/dev/null"] + target)
        #expect(run.status == 1)
        #expect(
            run.stdout.contains("ipvsadm -A -t 10.20.0.110:80 -s rr: not run, netns:\(box) has no IPVS"),
            "\(run.stdout)")
        let audit = try runCLI(["audit", path] + target)
        #expect(audit.status == 0, "\(audit.stdout)")
        #expect(audit.stdout.contains("not-audited"))
        #expect(audit.stdout.contains("has no IPVS"))
    }

    @Test(
        "the exported script with address and IPVS steps is shellcheck-clean and idempotent; IPVS is skipped with a message",
        .enabled(if: ExportTests.hasShellcheck, "shellcheck is not installed (scripts/setup.sh installs it)"))
    func exportedScript() throws {
        let lab = TestLab()
        let box = try box(lab)
        let path = try write(Self.runbook + "\n" + Self.ipvsRunbook, lab, "both.md")
        let script = path + ".sh"
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: script)
        }
        #expect(try runCLI(["export", path, "--format", "shell", "-o", script]).status == 0)
        #expect(try TestLab.shell("shellcheck -s sh \(script)") == "")
        #expect(try TestLab.shell("sh -n \(script)") == "")
        let firstRun = try TestLab.shell("ip netns exec \(box) sh \(script) box 2>&1")
        #expect(firstRun.contains("skipped: no IPVS on this machine"), "\(firstRun)")
        let after = try addresses(box)
        #expect(after.contains("10.20.0.110/24 eth0 eth0:110"))
        #expect(!after.contains("10.30.0.1/24 eth1 -"))
        _ = try TestLab.shell("ip netns exec \(box) sh \(script) box 2>&1")
        #expect(try addresses(box) == after)
        _ = try TestLab.shell("ip netns exec \(box) sh \(script) verify_box")
    }

    @Test(
        "the exported playbook adds and deletes the addresses, checks the listing, and reports changed=0 the second time",
        .enabled(
            if: ansiblePlaybook != nil, "ansible-playbook is not installed (scripts/test.sh installs it from PyPI)"))
    func playbook() throws {
        let lab = TestLab()
        let box = try box(lab)
        let path = try write(Self.runbook, lab, "addr-ansible.md")
        let playbook = path + ".yml"
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: playbook)
        }
        #expect(try runCLI(["export", path, "--format", "ansible", "-o", playbook]).status == 0)
        let ansible = try #require(ansiblePlaybook)
        let python = try TestLab.shell("command -v python3").trimmingCharacters(in: .whitespacesAndNewlines)
        let play = {
            try TestLab.shell(
                "ip netns exec \(box) \(ansible) -i box, -c local -e ansible_become=false "
                    + "-e ansible_python_interpreter=\(python) \(playbook)")
        }
        #expect(try play().contains("changed=3"))
        let after = try addresses(box)
        #expect(after.contains("10.20.0.110/24 eth0 eth0:110"))
        #expect(!after.contains { $0.hasPrefix("10.30.0.1/24") })
        #expect(try play().contains("changed=0"))
        #expect(try addresses(box) == after)
    }
}
