import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("audit rules")
struct AuditRuleTests {
    @Test(
        "the kernel's all/interface combination rules",
        arguments: [
            ("net.ipv4.conf.eth0.send_redirects", "0", "1", 1), ("net.ipv4.conf.eth0.send_redirects", "0", "0", 0),
            ("net.ipv4.conf.eth0.accept_source_route", "1", "0", 0), ("net.ipv4.conf.eth0.rp_filter", "1", "2", 2),
        ])
    func combination(key: String, interface: String, all: String, effective: Int) throws {
        let (allKey, rule) = try #require(SysctlSemantics.combination(of: key))
        #expect(allKey.hasPrefix("net.ipv4.conf.all."))
        #expect(SysctlSemantics.effective(rule, interface: interface, all: all) == effective)
    }

    @Test(
        "keys the kernel does not combine have no rule",
        arguments: ["net.ipv4.conf.all.send_redirects", "net.ipv4.ip_forward", "net.ipv4.conf.eth0.forwarding"])
    func noRule(key: String) {
        #expect(SysctlSemantics.combination(of: key) == nil)
    }

    @Test(
        "read-only commands on the allow-list",
        arguments: [
            ("route -n", true), ("ip route", true), ("ip -4 route show", true), ("ip addr", true),
            ("ip -j route", true),
            ("sysctl net.ipv4.ip_forward", true), ("cat /proc/sys/net/ipv4/ip_forward", true),
            ("route del default", false), ("ip route del default", false), ("sysctl -w a.b=1", false),
            ("cat /etc/shadow", false),
            ("route -n | grep eth0", false),
            // 12.7: substitutions, state-changing verbs behind -j, sysctl -f, paths with '..'
            ("ip route show \"`touch /tmp/m`\"", false), ("cat /proc/$(touch /tmp/m)", false),
            ("ip -j route add 10.0.0.0/8 dev lo", false), ("ip -j link set eth0 down", false),
            ("sysctl -f /tmp/x.conf", false), ("sysctl -p", false), ("sysctl net.ipv4.ip_forward=1", false),
            ("cat /proc/sys/../../etc/shadow", false), ("ip -b /tmp/cmds", false), ("ip route get 1.1.1.1", true),
            ("ipvsadm -Ln", true), ("ipvsadm -A -t 10.0.0.1:80", false), ("sysctl -n net.ipv4.ip_forward", true),
        ])
    func allowList(command: String, readOnly: Bool) {
        #expect(ReadOnlyCommands.contains(command) == readOnly)
    }

    @Test("the desired route table is the last documented one with later changes applied")
    func desiredRoutes() throws {
        let runbook = try parse(
            """
            ```console
            rs# ip route
            10.0.0.0/8 dev eth0
            default via 10.0.0.1 dev eth0
            rs# ip route del 10.0.0.0/8 dev eth0
            rs# ip route add 172.16.0.0/12 via 10.0.0.2 dev eth0
            ```
            """)
        let desired = DesiredState(steps: runbook.steps)
        #expect(
            desired.routeTable?.entries.map { OutputComparison.RouteKey($0).description } == [
                "0.0.0.0/0 via 10.0.0.1 dev eth0", "172.16.0.0/12 via 10.0.0.2 dev eth0",
            ])
    }

    @Test("persisted configuration is read in sysctl --system order; a later file overrides the doc's")
    func overridden() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-root-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/etc/sysctl.d", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/usr/lib/sysctl.d", withIntermediateDirectories: true)
        try "net.ipv4.ip_forward = 1\nvm.swappiness = 10\n".write(
            toFile: root + "/etc/sysctl.conf", atomically: true, encoding: .utf8)
        // Hidden by /etc/sysctl.d/50-x.conf of the same name.
        try "vm.swappiness = 99\n".write(
            toFile: root + "/usr/lib/sysctl.d/50-x.conf", atomically: true, encoding: .utf8)
        try "# local\nvm.swappiness = 60\n".write(
            toFile: root + "/etc/sysctl.d/50-x.conf", atomically: true, encoding: .utf8)
        try "kernel.sysrq = 0\n".write(toFile: root + "/usr/lib/sysctl.d/10-a.conf", atomically: true, encoding: .utf8)
        let config = try PersistedConfig.read(on: DirectState(target: .local), target: .local, root: root)
        #expect(
            config.assignments.map(\.file) == [
                root + "/usr/lib/sysctl.d/10-a.conf", root + "/etc/sysctl.d/50-x.conf",
                root + "/etc/sysctl.conf", root + "/etc/sysctl.conf",
            ])
        #expect(
            config.assignments[1]
                == .init(key: "vm.swappiness", value: "60", file: root + "/etc/sysctl.d/50-x.conf", line: 2))

        // /etc/sysctl.conf is applied last, so a doc that persists to a sysctl.d file is overridden by it.
        let path = root + "/doc.md"
        try "Persist in `/etc/sysctl.d/90-doc.conf`:\n\n```\nvm.swappiness = 5\n```\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        try "vm.swappiness = 5\n".write(toFile: root + "/etc/sysctl.d/90-doc.conf", atomically: true, encoding: .utf8)
        let result = try runCLI(["audit", path, "--scope", "persisted", "--root", root, "--format", "json"])
        #expect(result.status == 1)
        let findings = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(findings.count == 1)
        #expect(findings.first?["verdict"] as? String == "overridden")
        #expect(
            findings.first?["detail"] as? String
                == "\(root)/etc/sysctl.conf:2 sets 10, read after \(root)/etc/sysctl.d/90-doc.conf:1")
    }
}

@Suite("audit reports")
struct AuditReportTests {
    let findings = [
        AuditFinding(
            host: "director", target: .netns("d"), kind: .sysctl, subject: "net.ipv4.conf.eth0.send_redirects",
            expected: "0",
            actual: "0", verdict: .ineffective, detail: "all is 1 <OR>", file: "doc.md", line: 3),
        AuditFinding(
            host: "director", target: .netns("d"), kind: .command, subject: "uptime", expected: "x", actual: nil,
            verdict: .notAudited, detail: "not read-only & \"unknown\"", file: "doc.md", line: 9),
        AuditFinding(
            host: "realserver", target: .local, kind: .routes, subject: "main routing table", expected: nil,
            actual: nil,
            verdict: .ok, detail: nil, file: "doc.md", line: 12),
    ]

    @Test("junit is well-formed XML with a failure for each problem and a skip for what is not audited")
    func junit() throws {
        let xml = AuditReport(color: false).render(findings, as: .junit)
        let document = try XMLDocument(xmlString: xml)
        #expect(try document.nodes(forXPath: "//testcase").count == 3)
        #expect(try document.nodes(forXPath: "//failure[@type='ineffective']").count == 1)
        #expect(try document.nodes(forXPath: "//skipped").count == 1)
        #expect(try document.nodes(forXPath: "//testsuite").count == 2)
        // What Jenkins and GitLab read: errors on every suite, the target as hostname, a class
        // per host, the file:line in the message.
        #expect(try document.nodes(forXPath: "//testsuite[@errors and @hostname]").count == 2)
        #expect(try document.nodes(forXPath: "//testcase[starts-with(@classname, 'runbook.')]").count == 3)
        let failure = try #require(try document.nodes(forXPath: "//failure/@message").first?.stringValue)
        #expect(failure.hasPrefix("doc.md:3: ineffective"), "\(failure)")
    }

    @Test("junit: two targets of one role that differ are two distinct failing cases")
    func junitTargets() throws {
        var second = findings[0]
        second.target = .netns("rs2")
        second.verdict = .drift
        var first = findings[0]
        first.verdict = .drift
        let xml = AuditReport(color: false).render([first, second], as: .junit)
        let document = try XMLDocument(xmlString: xml)
        let names = try document.nodes(forXPath: "//testcase/@name").compactMap(\.stringValue)
        #expect(names.count == 2)
        #expect(Set(names).count == 2, "\(names)")
        #expect(try document.nodes(forXPath: "//failure").count == 2)
    }

    @Test("json has one object per finding")
    func json() throws {
        let parsed =
            try JSONSerialization.jsonObject(with: Data(AuditReport(color: false).render(findings, as: .json).utf8))
            as? [[String: Any]]
        #expect(parsed?.map { $0["verdict"] as? String } == ["ineffective", "not-audited", "ok"])
    }
}

/// `runbook audit` against namespaces configured by the tests.
@Suite("audit in network namespaces", .enabled(if: TestLab.isAvailable, "\(TestLab.unavailableReason)"), .serialized)
struct AuditNamespaceTests {
    private func targets(_ director: String, _ server: String) -> [String] {
        ["--target", "director=netns:\(director)", "--target", "realserver=netns:\(server)"]
    }

    @Test("a lab configured as the runbook says audits clean; each kind of drift is found with its verdict")
    func drift() throws {
        let lab = TestLab()
        let (director, servers) = try lab.lvsNat(realservers: 1)
        let targets = targets(director, servers[0])
        #expect(
            try runCLI(
                ["exec", "runbooks/one-network-nat.md", "--yes", "--journal", "/dev/null", "--to", "9"] + targets
            )
            .status == 0
        )
        let clean = try runCLI(["audit", "runbooks/one-network-nat.md"] + targets)
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(
            clean.stdout.hasSuffix(
                "the targets match the runbook (8 ok, 0 drift, 0 ineffective, 0 overridden, 2 not-audited, 0 error)\n"))

        try lab.run("ip netns exec \(director) sh -c 'echo 1 > /proc/sys/net/ipv4/conf/default/send_redirects'")
        try lab.run("ip -n \(servers[0]) route add 10.7.0.0/16 via 192.168.1.9 dev eth0 onlink")
        try lab.run("ip netns exec \(director) sh -c 'echo 1 > /proc/sys/net/ipv4/conf/all/send_redirects'")
        let result = try runCLI(["audit", "runbooks/one-network-nat.md", "--report", "json"] + targets)
        #expect(result.status == 1)
        let findings = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let verdicts = Dictionary(findings.map { ("\($0["kind"]!) \($0["subject"]!)", $0["verdict"] as! String) }) {
            first, _ in first
        }
        #expect(verdicts["sysctl net.ipv4.conf.default.send_redirects"] == "drift")
        #expect(verdicts["sysctl net.ipv4.conf.all.send_redirects"] == "drift")
        #expect(verdicts["sysctl net.ipv4.conf.eth0.send_redirects"] == "ineffective")
        #expect(verdicts["routes main routing table"] == "drift")
        let table = findings.first { $0["kind"] as? String == "routes" }
        #expect((table?["detail"] as? String)?.contains("+10.7.0.0/16 via 192.168.1.9 dev eth0") == true)
    }

    @Test("--update rewrites a stale documented table and changes nothing else, byte for byte")
    func update() throws {
        let lab = TestLab()
        let (_, servers) = try lab.lvsNat(realservers: 1)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-doc.md").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let original = try String(
            contentsOfFile: packageRoot.appendingPathComponent("runbooks/one-network-nat.md").path, encoding: .utf8)
        try original.write(toFile: copy, atomically: true, encoding: .utf8)
        // Reality: the realserver keeps its on-link route, so the documented "after" table is stale.
        let result = try runCLI([
            "audit", copy, "--host", "realserver", "--update", "--target", "realserver=netns:\(servers[0])",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("updated 1 documented output(s)"))
        let updated = try String(contentsOfFile: copy, encoding: .utf8)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[83] = "0.0.0.0         192.168.1.9     0.0.0.0         UG    0      0        0 eth0"
        lines.insert("192.168.1.0     0.0.0.0         255.255.255.0   U     0      0        0 eth0", at: 84)
        #expect(updated == lines.joined(separator: "\n"))
        // The updated doc now audits clean for that host.
        #expect(
            try runCLI(["audit", copy, "--host", "realserver", "--target", "realserver=netns:\(servers[0])"]).status
                == 0)
    }

    @Test(
        "two realservers that differ are two failing JUnit cases, an unreachable one an error; the reports validate and the others are audited",
        .enabled(if: canValidateJUnit, "no junit-10.xsd or xmllint here (scripts/test.sh fetches the schema)"))
    func junitReports() throws {
        let lab = TestLab()
        let (_, servers) = try lab.lvsNat(realservers: 2)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(lab.prefix)-reports")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // ssh fails at once, without a packet sent: the target is unreachable.
        let sshConfig = directory.appendingPathComponent("ssh_config").path
        try "Host *\n    ProxyCommand /bin/false\n".write(toFile: sshConfig, atomically: true, encoding: .utf8)
        for server in servers { try lab.run("ip -n \(server) route add 10.7.0.0/16 via 192.168.1.9 dev eth0 onlink") }
        let junit = directory.appendingPathComponent("audit.xml").path
        let json = directory.appendingPathComponent("audit.json").path
        let result = try runCLI([
            "audit", "runbooks/one-network-nat.md", "--host", "realserver", "--ssh-config", sshConfig,
            "--target", "realserver=netns:\(servers[0]),netns:\(servers[1]),ssh://nowhere.invalid",
            "--report", "junit:\(junit)", "--report", "json:\(json)",
        ])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("1 target(s) could not be audited"), "\(result.stdout)")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(try junitSchemaErrors(xml) == "")
        let document = try XMLDocument(xmlString: xml)
        let failing = try document.nodes(forXPath: "//testcase[failure]/@name").compactMap(\.stringValue)
        // Per realserver: the routing table, and the documented `route -n` output.
        #expect(failing.count == 4 && Set(failing).count == 4, "\(failing)")
        #expect(failing.count { $0.contains("routes main routing table on netns:") } == 2, "\(failing)")
        #expect(
            try document.nodes(forXPath: "//testsuite[@hostname='ssh://nowhere.invalid']/testcase/error").count == 1)
        let findings = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [[String: Any]])
        #expect(findings.contains { $0["verdict"] as? String == "error" })
    }
}
