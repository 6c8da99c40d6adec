import Foundation
import RunbookTestSupport
import Testing

@testable import RunbookCore
@testable import RunbookExport
@testable import RunbookOps

@Suite("lab topology")
struct LabTopologyTests {
    @Test("the example's diagram gives client, director with VIP and DIP, and three realservers")
    func example() throws {
        let runbook = try Runbook.load(path: packageRoot.appendingPathComponent("runbooks/one-network-nat.md").path)
        let topology = try LabTopology.of(runbook)
        #expect(topology.hosts.map(\.name) == ["client", "director", "realserver1", "realserver2", "realserver3"])
        #expect(
            topology.director?.addresses.map { "\($0.address) \($0.label)" } == [
                "192.168.1.110 eth0:110", "192.168.1.9 eth0:9",
            ])
        #expect(
            topology.realservers.map { $0.addresses.map(\.address) } == [
                ["192.168.1.2"], ["192.168.1.3"], ["192.168.1.4"],
            ])
        #expect(topology.virtualAddress == "192.168.1.110")
        #expect(topology.directorAddress == "192.168.1.9")
        #expect(topology.subnet == "192.168.1.0/24")
        let result = try runCLI(["lab", "topology", "runbooks/one-network-nat.md", "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect((json?["hosts"] as? [Any])?.count == 5)
    }

    @Test(
        "the seed post's diagram gives the same topology",
        .enabled(
            if: hasShared("seeds/000_44be082270b77cdf.txt"),
            "the seed post is absent: ../shared is not beside this checkout"))
    func seed() throws {
        let topology = try LabTopology.of(try Runbook.load(path: sharedPath("seeds/000_44be082270b77cdf.txt")))
        let example = try LabTopology.of(
            try Runbook.load(path: packageRoot.appendingPathComponent("runbooks/one-network-nat.md").path))
        #expect(topology.hosts.map { $0.addresses.map(\.address) } == example.hosts.map { $0.addresses.map(\.address) })
    }

    @Test(
        "11. lab host names, address labels, routes and settings that are not what they claim are refused at their line (a lab sets only net.* sysctls: a namespace shares the others with this machine)",
        arguments: [
            #"{name: "d;touch /tmp/x", role: director, addresses: [10.1.0.1/16]}"#,
            #"{name: "a b", role: director, addresses: [10.1.0.1/16]}"#,
            #"{name: "d\nnetns add evil", role: director, addresses: [10.1.0.1/16]}"#,
            #"{name: d, role: director, addresses: ["10.1.0.1/16 eth0:1\naddr add 1.2.3.4 dev lo"]}"#,
            #"{name: d, role: director, addresses: ["10.1.0.1/16 eth0:a/b"]}"#,
            #"{name: d, addresses: [10.1.0.1/16], sysctls: ["vm.swappiness=1"]}"#,
            #"{name: d, addresses: [10.1.0.1/16], sysctls: ["net.ipv4.ip_forward=1; reboot"]}"#,
            #"{name: d, addresses: [10.1.0.1/16], routes: ["default via 10.1.0.254; reboot"]}"#,
        ])
    func badNames(_ host: String) throws {
        let runbook = try parse(
            "---\nlab:\n  hosts:\n    - \(host)\n---\n\n```console\ndirector# sysctl -w net.ipv4.ip_forward=1\n```\n")
        #expect(throws: LabTopology.Problem.self) { try LabTopology.of(runbook) }
        do {
            _ = try LabTopology.of(runbook)
        } catch {
            #expect(error.description.hasPrefix("test.md:4: "), "\(error.description)")
        }
    }

    @Test("the service the example defines with ipvsadm is the one the lab builds: scheduler, servers, weights")
    func definedService() throws {
        let runbook = try Runbook.load(path: packageRoot.appendingPathComponent("runbooks/one-network-nat.md").path)
        let service = try #require(try LabTopology.of(runbook).definedService)
        #expect(service.scheduler == "wrr")
        #expect(
            service.servers.map { "\($0.address) \($0.forwarding) \($0.weight)" } == [
                "192.168.1.2 masq 2", "192.168.1.3 masq 1", "192.168.1.4 masq 1",
            ])
        #expect(service.source.hasSuffix("runbooks/one-network-nat.md:97"))
    }

    @Test("a VIP the diagram does not give comes from the director's address step")
    func addressFromSteps() throws {
        let example = try String(
            contentsOf: packageRoot.appendingPathComponent("runbooks/one-network-nat.md"), encoding: .utf8)
        let runbook = try parse(
            example.replacingOccurrences(of: "VIP=192.168.1.110 (eth0:110)", with: "                            ")
                + "\n```console\ndirector# ifconfig eth0:110 192.168.1.110 netmask 255.255.255.0 up\n```\n")
        let topology = try LabTopology.of(runbook)
        #expect(topology.virtualAddress == "192.168.1.110")
        #expect(
            topology.director?.addresses.map { "\($0.address) \($0.label)" } == [
                "192.168.1.9 eth0:9", "192.168.1.110 eth0:110",
            ])
        #expect(topology.definedService?.scheduler == "wrr")
    }

    @Test("a lab: declaration in the front matter wins over the diagram")
    func declared() throws {
        let runbook = try parse(
            """
            ---
            lab:
              service: 10.1.0.100:8080
              hosts:
                - {name: lb, role: director, addresses: ["10.1.0.100/16 eth0:100", "10.1.0.1/16"]}
                - {name: web1, role: realserver, addresses: [10.1.0.2/16]}
                - {name: me, role: client, addresses: [10.1.0.200/16]}
            ---

            ```console
            director# sysctl -w net.ipv4.ip_forward=1
            ```
            """)
        let topology = try LabTopology.of(runbook)
        #expect(topology.hosts.map(\.name) == ["lb", "web1", "me"])
        #expect(topology.prefixLength == 16)
        #expect(topology.virtualAddress == "10.1.0.100")
        #expect(topology.port == 8080)
        #expect(topology.directorAddress == "10.1.0.1")
    }

    @Test("an annotation as near to two boxes is an error that says which and what to do")
    func ambiguous() throws {
        let runbook = try parse(
            """
            # T

            ```
            realserver    IP=10.0.0.2   realserver
            ```

            ```console
            realserver# ip route
            ```
            """)
        #expect(throws: LabTopology.Problem.self) { try LabTopology.of(runbook) }
        do {
            _ = try LabTopology.of(runbook)
        } catch {
            #expect(
                error.description
                    == "test.md:4: IP=10.0.0.2 is as near to two boxes; declare the topology under lab: in the front matter"
            )
        }
    }
}
