import Foundation
import RunbookCore

/// The virtual service under test in a lab: the director balances VIP:port round robin to the
/// realservers, each of which answers with its own name; probes from the client namespace show
/// who answered.
extension Lab {
    public enum Balancer: String, Sendable {
        /// LVS-NAT with ipvsadm, where the kernel has IPVS.
        case ipvs
        /// An nftables DNAT rule that round-robins to the realservers, where it has not (the
        /// same path for the packets: in through the director, rewritten, back through it).
        case nftables
    }

    /// Turns on forwarding on the director, installs the balancer and starts a responder on
    /// each realserver (`executable lab respond`), waiting until they listen.
    public func startService(executable: String) throws(Failure) -> Balancer {
        guard let director = topology.director, let vip = topology.virtualAddress else {
            throw Failure(description: "the topology has no director with a VIP to offer the service on")
        }
        let servers = topology.realservers
        let addresses = servers.compactMap { $0.addresses.first?.address }
        guard !addresses.isEmpty else { throw Failure(description: "the topology has no realservers") }
        let directorNamespace = namespace(of: director)
        do {
            _ = try DirectState(target: .netns(directorNamespace)).setSysctl("net.ipv4.ip_forward", "1")
        } catch {
            throw Failure(description: "cannot turn on forwarding on the director: \(error)")
        }
        let balancer: Balancer
        if FileManager.default.fileExists(atPath: "/proc/net/ip_vs"), Lab.onPath("ipvsadm") {
            balancer = .ipvs
            try Lab.run([
                "ip", "netns", "exec", directorNamespace, "ipvsadm", "-A", "-t", "\(vip):\(topology.port)", "-s", "rr",
            ])
            for address in addresses {
                try Lab.run([
                    "ip", "netns", "exec", directorNamespace, "ipvsadm", "-a", "-t", "\(vip):\(topology.port)", "-r",
                    "\(address):\(topology.port)", "-m",
                ])
            }
        } else {
            balancer = .nftables
            let map = addresses.enumerated().map { "\($0.offset) : \($0.element)" }.joined(separator: ", ")
            try Lab.run(
                ["ip", "netns", "exec", directorNamespace, "nft", "-f", "-"],
                input: """
                    table ip runbook_lab {
                        chain prerouting {
                            type nat hook prerouting priority dstnat; policy accept;
                            ip daddr \(vip) tcp dport \(topology.port) dnat to numgen inc mod \(addresses.count) map { \(map) }
                        }
                    }

                    """)
        }
        for (server, address) in zip(servers, addresses) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "ip", "netns", "exec", namespace(of: server), executable, "lab", "respond",
                "--address", address, "--port", String(topology.port), "--name", server.name,
            ]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                throw Failure(description: "cannot start the responder on \(server.name): \(error)")
            }
        }
        for (server, address) in zip(servers, addresses) {
            var listening = false
            for _ in 0..<200 where !listening {
                listening =
                    (try? NetworkNamespace.run(in: namespace(of: server)) {
                        LabProbe.ask(address: address, port: topology.port, timeout: 0.2) != nil
                    }) == true
                if !listening { Platform.sleep(milliseconds: 10) }
            }
            guard listening else {
                throw Failure(description: "the responder on \(server.name) did not start listening")
            }
        }
        return balancer
    }

    /// Connects to VIP:port `count` times at once from the client and returns who answered
    /// each (nil: the connection failed or timed out).
    public func probe(count: Int, timeout: Double) throws -> [String?] {
        guard let client = topology.client, let vip = topology.virtualAddress else {
            throw Failure(description: "the topology has no client or no VIP to probe from")
        }
        return try NetworkNamespace.run(in: namespace(of: client)) {
            LabProbe.askAll(address: vip, port: topology.port, count: count, timeout: timeout)
        }
    }

    /// The director's IcmpOutRedirects counter (/proc/net/snmp of its namespace).
    public func redirectsSent() throws -> Int {
        guard let director = topology.director else { throw Failure(description: "the topology has no director") }
        let text = try NetworkNamespace.run(in: namespace(of: director)) {
            try FileIO.read("/proc/thread-self/net/snmp").map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        let icmp = text.split(separator: "\n").filter { $0.hasPrefix("Icmp:") }
        guard icmp.count >= 2 else { throw Failure(description: "no Icmp counters in the director's /proc/net/snmp") }
        let names = icmp[0].split(separator: " "), values = icmp[1].split(separator: " ")
        guard let index = names.firstIndex(of: "OutRedirects"), index < values.count, let value = Int(values[index])
        else {
            throw Failure(description: "no OutRedirects counter in the director's /proc/net/snmp")
        }
        return value
    }

    static func onPath(_ program: String) -> Bool {
        (getenv("PATH").map { String(cString: $0) } ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":").contains {
            access("\($0)/\(program)", X_OK) == 0
        }
    }
}
