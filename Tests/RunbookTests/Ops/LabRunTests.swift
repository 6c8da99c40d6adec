import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The whole rehearsal, for real, in namespaces the lab creates and removes.
@Suite(
    "lab runs",
    .enabled(
        if: TestLab.isAvailable && Lab.onPath("nft"),
        "needs root, network namespaces and nftables (scripts/setup.sh installs it)"), .serialized)
struct LabRunTests {
    private func leftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []).filter {
            $0.hasPrefix(Lab.prefix) && !$0.hasSuffix("-foreign") && !$0.hasSuffix("-busy")
        }
            + ((try? FileManager.default.contentsOfDirectory(atPath: Lab.registry)) ?? [])
    }

    @Test(
        "lab run of the example: no answer before the fix, every realserver in turn after it, no ICMP redirects, a clean audit, nothing left"
    )
    func example() throws {
        let result = try runCLI(["lab", "run", "runbooks/one-network-nat.md"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("probe before: 0/6 requests answered"))
        // The service is the runbook's own: its scheduler, servers and weights.
        #expect(
            result.stdout.contains(
                "service: 192.168.1.110:80 as defined at runbooks/one-network-nat.md:97, by nftables DNAT emulating the runbook's IPVS rules (this kernel has no IPVS): scheduler wrr as weighted round robin, servers 192.168.1.2:80 weight 2, 192.168.1.3:80 weight 1, 192.168.1.4:80 weight 1"
            ) || result.stdout.contains("by IPVS, scheduler wrr, NAT"))
        let after = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("probe after: ") })
        #expect(after.hasPrefix("probe after: 6/6 requests answered: "))
        #expect(after.hasSuffix("; the director sent 0 ICMP redirect(s)"))
        #expect(Set(["realserver1", "realserver2", "realserver3"]).allSatisfy { after.contains($0) })
        #expect(
            result.stdout.contains(
                "ipvs  skipped  ipvsadm -A -t 192.168.1.110:80 -s wrr: the lab's nftables service stands in for it")
                || result.stdout.contains("ipvs  unchanged"))
        #expect(result.stdout.contains("audit: clean"))
        #expect(result.stdout.hasSuffix("result: the runbook does what it claims\n"))
        #expect(leftovers().isEmpty)
        #expect(!TestLab.processRuns(["runbook", "lab", "respond"]))
    }

    @Test("lab run of the router example: no way through before forwarding, TCP and ping answered after it")
    func router() throws {
        let result = try runCLI(["lab", "run", "runbooks/two-subnet-router.md"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("on 2 bridges"))
        #expect(result.stdout.contains("probe before: a -> 192.168.20.2:80 (line 12): failed, expected failed"))
        #expect(result.stdout.contains("probe after: a -> 192.168.20.2:80 (line 12): answered, expected answered"))
        #expect(result.stdout.contains("probe after: a ping 192.168.20.2 (line 13): answered, expected answered"))
        #expect(result.stdout.contains("a@netns:") && result.stdout.contains("command  ok  output as documented"))
        #expect(leftovers().isEmpty)
    }

    @Test("lab run of the rp_filter example: strict drops the client, loose lets it in, no more drops counted")
    func rpFilter() throws {
        let result = try runCLI(["lab", "run", "runbooks/rp-filter-asymmetric.md"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("probe before: client -> 10.2.0.2:80 (line 18): failed, expected failed"))
        #expect(result.stdout.contains("probe after: client -> 10.2.0.2:80 (line 18): answered, expected answered"))
        #expect(
            result.stdout.contains("counter after: server TcpExtIPReversePathFilter (line 20) rose by 0, expected 0"))
        #expect(leftovers().isEmpty)
    }

    @Test("lab run of the LVS-DR example: realservers answer for the VIP they carry on lo, in turn, by direct routing")
    func lvsDirectRouting() throws {
        let result = try runCLI(["lab", "run", "runbooks/lvs-dr.md"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stdout.contains("with direct routing")
                || result.stdout.contains("by IPVS, scheduler rr, direct routing"))
        #expect(result.stdout.contains("probe before: client -> 192.168.1.110:80 (line 15): failed, expected failed"))
        #expect(result.stdout.contains("probe after: client -> 192.168.1.110:80 (line 15): rotates, expected rotates"))
        #expect(result.stdout.contains("address  changed  ip addr add 192.168.1.110/32 dev lo label lo:0"))
        #expect(leftovers().isEmpty)
    }

    @Test(
        "lab run --report junit:FILE --report json:FILE: a case per probe, step and audit finding, valid for Jenkins; the text still on the terminal"
    )
    func reports() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbt-lab-reports")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let junitFile = directory.appendingPathComponent("lab.xml").path
        let jsonFile = directory.appendingPathComponent("lab.json").path
        let result = try runCLI([
            "lab", "run", "runbooks/two-subnet-router.md", "--report", "junit:\(junitFile)", "--report",
            "json:\(jsonFile)",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("result: the runbook does what it claims"))
        let junit = try String(contentsOfFile: junitFile, encoding: .utf8)
        if canValidateJUnit { #expect(try junitSchemaErrors(junit) == "") }
        let xml = try XMLDocument(data: Data(junit.utf8))
        #expect(try xml.nodes(forXPath: "//testsuite[starts-with(@name, 'lab ')]/testcase").count == 4)
        #expect(
            try xml.nodes(
                forXPath:
                    "//testcase[@classname='runbook.lab' and @name='probe after: a -> 192.168.20.2:80 (line 12): answered, expected answered']"
            ).count == 1)
        #expect(try xml.nodes(forXPath: "//testsuite[starts-with(@name, 'audit of ')]/testcase").count == 3)
        #expect(try xml.nodes(forXPath: "//testsuite[starts-with(@name, 'steps on ')]/testcase").count > 0)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonFile))) as? [String: Any])
        #expect(object["passed"] as? Bool == true)
        #expect((object["checks"] as? [Any])?.count == 4)
        #expect((object["findings"] as? [Any])?.count == 3)
    }

    @Test("a router runbook whose forwarding step is wrong fails lab run, naming the probe that failed")
    func routerBroken() throws {
        let text = try String(
            contentsOf: packageRoot.appendingPathComponent("runbooks/two-subnet-router.md"), encoding: .utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rbt-router-broken.md").path
        try text.replacingOccurrences(of: "ip_forward=1", with: "ip_forward=0")
            .replacingOccurrences(of: "ip_forward = 1", with: "ip_forward = 0")
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runCLI(["lab", "run", path])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stdout.contains("failed: probe after: a -> 192.168.20.2:80 (line 12): failed, expected answered"))
        #expect(result.stdout.hasSuffix("result: the runbook does not do what it claims\n"))
        #expect(leftovers().isEmpty)
    }

    @Test("a runbook with neither a diagram nor lab: cannot be rehearsed: exit 2 and the front matter to add")
    func cannotBuild() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rbt-no-lab.md").path
        try "# Web\n\n```console\nweb1# sysctl -w net.core.somaxconn=1024\ndb# sysctl -w vm.swappiness=1\n```\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runCLI(["lab", "run", path])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("the lab could not be built"))
        #expect(result.stderr.contains("    - {name: web1, addresses: [\"10.0.0.1/24 eth0\"]}"))
        #expect(result.stderr.contains("    - {name: db, addresses: [\"10.0.0.2/24 eth0\"]}"))
        #expect(!result.stdout.contains("does not do what it claims"))
    }

    @Test("lab up of a runbook whose lab is up already refuses, saying how to use or remove it")
    func upTwice() throws {
        let first = try runCLI(["lab", "up", "runbooks/two-subnet-router.md"])
        defer { _ = try? runCLI(["lab", "down", "runbooks/two-subnet-router.md"]) }
        #expect(first.status == 0, "\(first.stderr)")
        let second = try runCLI(["lab", "up", "runbooks/two-subnet-router.md"])
        #expect(second.status == 2)
        #expect(second.stderr.contains("is up already"))
        #expect(Lab.registered(for: "runbooks/two-subnet-router.md").count == 1)
    }

    @Test("Ctrl-C during lab run stops it, removes the lab and exits 130")
    func interrupted() throws {
        let process = Process()
        process.executableURL = cliBinary()
        process.arguments = ["lab", "run", "runbooks/one-network-nat.md"]
        process.currentDirectoryURL = packageRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<400 where leftovers().isEmpty { usleep(5_000) }
        usleep(100_000)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(leftovers().isEmpty)
    }

    @Test("17. lab down --all removes only what the registry lists, and leaves a lab in use unless --force")
    func downAllOnlyOwn() throws {
        let foreign = "\(Lab.prefix)\(UInt32.random(in: 0x10_0000...0xFF_FFFF))-foreign"
        let busy = "\(Lab.prefix)\(UInt32.random(in: 0x10_0000...0xFF_FFFF))-busy"
        _ = try TestLab.shell("ip netns add \(foreign) && ip netns add \(busy)")
        defer { _ = try? TestLab.shell("ip netns del \(foreign) 2>/dev/null; ip netns del \(busy) 2>/dev/null; true") }
        let owner = Process()
        owner.executableURL = URL(fileURLWithPath: "/bin/sleep")
        owner.arguments = ["30"]
        try owner.run()
        defer { owner.terminate() }
        let entry = "\(Lab.registry)/\(busy).json"
        try FileManager.default.createDirectory(atPath: Lab.registry, withIntermediateDirectories: true)
        try
            #"{"id":"\#(busy)","namespaces":["\#(busy)"],"owner":\#(owner.processIdentifier),"ownerStart":"\#(Processes.startTime(owner.processIdentifier) ?? "")"}"#
            .write(toFile: entry, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: entry) }

        let polite = try runCLI(["lab", "down", "--all"])
        #expect(polite.status == 0, "\(polite.stderr)")
        #expect(polite.stderr.contains("lab \(busy) is in use by process \(owner.processIdentifier)"))
        #expect(FileManager.default.fileExists(atPath: "/run/netns/\(foreign)"))
        #expect(FileManager.default.fileExists(atPath: "/run/netns/\(busy)"))

        #expect(try runCLI(["lab", "down", "--all", "--force"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: "/run/netns/\(busy)"))
        #expect(FileManager.default.fileExists(atPath: "/run/netns/\(foreign)"))
    }

    @Test("lab down --all removes what a killed run left")
    func downAll() throws {
        #expect(try runCLI(["lab", "up", "runbooks/one-network-nat.md"]).status == 0)
        #expect(!leftovers().isEmpty)
        #expect(try runCLI(["lab", "down", "--all"]).status == 0)
        #expect(leftovers().isEmpty)
    }
}
