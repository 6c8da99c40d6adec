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

    /// A realserver behind the VIP, with the weight the service gives it.
    public struct Backend: Sendable {
        public var host: LabTopology.Host
        public var address: String
        public var weight: Int
    }

    /// The realservers the service balances over: those the runbook's ipvsadm rules name, with
    /// their weights, or every realserver of the topology.
    public func backends() throws(Failure) -> [Backend] {
        let all = topology.realservers.compactMap { host in
            host.addresses.first.map { Backend(host: host, address: $0.address, weight: 1) }
        }
        guard let defined = topology.definedService else {
            guard !all.isEmpty else { throw Failure(description: "the topology has no realservers") }
            return all
        }
        let named = defined.servers.compactMap { server in
            topology.realservers.first { $0.addresses.contains { $0.address == server.address } }.map {
                Backend(host: $0, address: server.address, weight: server.weight)
            }
        }
        guard !named.isEmpty else {
            throw Failure(
                description:
                    "the service defined at \(defined.source) names no realserver of the lab's topology (\(all.map(\.address).joined(separator: ", ")))"
            )
        }
        return named
    }

    /// What the report says of the service: who balances, how, over whom.
    public func serviceDescription(_ balancer: Balancer) throws(Failure) -> String {
        let servers = try backends().map { "\($0.address):\(topology.port) weight \($0.weight)" }.joined(
            separator: ", ")
        let vip = "\(topology.virtualAddress ?? "-"):\(topology.port)"
        guard let defined = topology.definedService else {
            return balancer == .ipvs
                ? "\(vip) by IPVS (ipvsadm, LVS-NAT, round robin)"
                : "\(vip) by nftables DNAT round robin (this kernel has no IPVS)"
        }
        let method = Set(defined.servers.map(\.forwarding.rawValue)).sorted().joined(separator: "/")
        let rotation =
            "scheduler \(defined.scheduler) as \(Self.weighs(defined.scheduler) ? "weighted " : "")round robin"
        let how =
            balancer == .ipvs
            ? "IPVS, scheduler \(defined.scheduler), \(isDirectRouting ? "direct routing" : "NAT")"
            : isDirectRouting
                ? "nftables and policy routing emulating the runbook's IPVS rules with direct routing (a mark per connection picks the realserver, a routing table sends the frame to its MAC with the VIP as destination; this kernel has no IPVS): \(rotation)"
                : "nftables DNAT emulating the runbook's IPVS rules (this kernel has no IPVS): \(rotation)"
        let nat = method == "masq" || isDirectRouting ? "" : "; the runbook's method \(method) is run as NAT in the lab"
        return "\(vip) as defined at \(defined.source), by \(how), servers \(servers)\(nat)"
    }

    /// The lab balances with IPVS: the kernel has it and ipvsadm is installed. Decided once.
    static let balancesWithIPVS = FileManager.default.fileExists(atPath: "/proc/net/ip_vs") && onPath("ipvsadm")

    /// What stands in for IPVS in the lab where it balances without, for exec to name.
    public var ipvsStandIn: String? {
        Self.balancesWithIPVS ? nil : "the lab's nftables service"
    }

    /// The runbook's service forwards by direct routing (`ipvsadm -a ... -g`, LVS-DR).
    var isDirectRouting: Bool {
        guard let servers = topology.definedService?.servers, !servers.isEmpty else { return false }
        return servers.allSatisfy { $0.forwarding == .route }
    }

    /// LVS-DR without IPVS, as the director's kernel can do it: a new connection to VIP:port
    /// gets a realserver in rotation (remembered, so that every packet of the connection goes to
    /// the same one), marked, and the mark picks a routing table whose default route is via
    /// that realserver, looked up before the director's own addresses. The frame goes out with
    /// the realserver's MAC and the VIP still as destination, as IPVS's direct routing sends it.
    private func startDirectRouting(
        vip: String, slots: [Backend], director: LabTopology.Host
    )
        throws(Failure)
    {
        let namespace = namespace(of: director)
        // Untracked: the director sees only the client's half of each connection, which
        // conntrack would take for invalid after the SYN. The realserver of a connection is
        // remembered by the client's address and port instead.
        let match = "ip daddr \(vip) tcp dport \(topology.port)"
        try Lab.run(
            ["ip", "netns", "exec", namespace, "nft", "-f", "-"],
            input: """
                table ip runbook_lab {
                    map connections {
                        type ipv4_addr . inet_service : mark
                        flags dynamic, timeout
                        timeout 5m
                    }
                    chain prerouting {
                        type filter hook prerouting priority raw; policy accept;
                        \(match) notrack
                        \(match) tcp flags & (syn | ack) == syn add @connections { ip saddr . tcp sport : numgen inc mod \(slots.count) offset 1 }
                        \(match) meta mark set ip saddr . tcp sport map @connections
                    }
                }

                """)
        var batch = "rule del pref 0 lookup local\nrule add pref 1000 lookup local\n"
        // A mark per slot of the rotation (a server weighing 2 has two), a table per mark.
        for (index, backend) in slots.enumerated() {
            batch +=
                "route add default via \(backend.address) dev eth0 table \(101 + index)\n"
                + "rule add pref \(101 + index) fwmark \(index + 1) lookup \(101 + index)\n"
        }
        try Lab.ip(["-n", namespace, "-batch", "-"], input: batch)
        // The requests leave by the interface they came in on: that is the design, not a
        // reason to tell the client about a better route.
        for key in ["net.ipv4.conf.all.send_redirects", "net.ipv4.conf.eth0.send_redirects"] {
            do {
                _ = try DirectState(target: .netns(namespace)).setSysctl(key, "0")
            } catch {
                throw Failure(description: "cannot set \(key) on the director: \(error)")
            }
        }
    }

    /// Schedulers that share by weight; the others ignore it and are emulated as plain round robin.
    static func weighs(_ scheduler: String) -> Bool {
        ["wrr", "wlc", "lblc", "lblcr", "sed", "nq", "fo", "ovf", "mh"].contains(scheduler)
    }

    /// Turns on forwarding on the director, installs the balancer and starts a responder on
    /// each realserver behind it (`executable lab respond`), waiting until they listen.
    public func startService(executable: String) throws(Failure) -> Balancer {
        guard let director = topology.director, let vip = topology.virtualAddress else {
            throw Failure(description: "the topology has no director with a VIP to offer the service on")
        }
        let backends = try backends()
        let directorNamespace = namespace(of: director)
        do {
            _ = try DirectState(target: .netns(directorNamespace)).setSysctl("net.ipv4.ip_forward", "1")
        } catch {
            throw Failure(description: "cannot turn on forwarding on the director: \(error)")
        }
        let scheduler = topology.definedService?.scheduler ?? "rr"
        let directRouting = isDirectRouting
        let balancer: Balancer
        if Self.balancesWithIPVS {
            balancer = .ipvs
            try Lab.run([
                "ip", "netns", "exec", directorNamespace, "ipvsadm", "-A", "-t", "\(vip):\(topology.port)", "-s",
                scheduler,
            ])
            for backend in backends {
                try Lab.run([
                    "ip", "netns", "exec", directorNamespace, "ipvsadm", "-a", "-t", "\(vip):\(topology.port)", "-r",
                    "\(backend.address):\(topology.port)", directRouting ? "-g" : "-m", "-w", String(backend.weight),
                ])
            }
        } else {
            balancer = .nftables
            // Weighted round robin: each server takes as many slots of the rotation as its weight.
            let slots = backends.flatMap { backend in
                Array(repeating: backend, count: Self.weighs(scheduler) ? max(backend.weight, 0) : 1)
            }
            guard !slots.isEmpty else {
                throw Failure(description: "every realserver of the service has weight 0: nothing would answer")
            }
            if directRouting {
                try startDirectRouting(vip: vip, slots: slots, director: director)
            } else {
                let map = slots.enumerated().map { "\($0.offset) : \($0.element.address)" }.joined(separator: ", ")
                try Lab.run(
                    ["ip", "netns", "exec", directorNamespace, "nft", "-f", "-"],
                    input: """
                        table ip runbook_lab {
                            chain prerouting {
                                type nat hook prerouting priority dstnat; policy accept;
                                ip daddr \(vip) tcp dport \(topology.port) dnat to numgen inc mod \(slots.count) map { \(map) }
                            }
                        }

                        """)
            }
        }
        // Under direct routing a realserver answers for the VIP it carries on lo: its responder
        // listens on every address.
        for backend in backends {
            try startResponder(
                on: backend.host, address: directRouting ? "0.0.0.0" : backend.address, port: topology.port,
                executable: executable, checking: backend.address)
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
        return try counter("IcmpOutRedirects", of: director)
    }

    static func onPath(_ program: String) -> Bool {
        (getenv("PATH").map { String(cString: $0) } ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":").contains {
            access("\($0)/\(program)", X_OK) == 0
        }
    }
}
