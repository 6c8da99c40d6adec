import RunbookCore

/// The machines a network runbook talks about, as `runbook lab` builds them: hosts with their
/// role and addresses on one subnet, and the virtual service the director offers.
public struct LabTopology: Sendable, Equatable {
    public struct Address: Sendable, Equatable {
        /// `192.168.1.110`
        public var address: String
        /// The annotation's name in the diagram (`VIP`, `RIP1`), if any.
        public var name: String?
        /// `eth0:110`: kept as the address label, as ifconfig aliases were written.
        public var label: String
        public var line: Int
        /// The prefix length: the subnet, and so the bridge, the address's device joins.
        public var length: Int = 24

        /// The device the address is on: the label before its `:`.
        public var device: String { String(label.split(separator: ":", maxSplits: 1).first ?? "eth0") }

        /// `192.168.10.0/24`.
        public var subnet: String {
            let value = IPv4.parse(address) ?? 0
            let network = value & (length == 0 ? 0 : UInt32.max << (32 - length))
            return "\(network >> 24).\(network >> 16 & 0xFF).\(network >> 8 & 0xFF).\(network & 0xFF)/\(length)"
        }
    }

    public struct Host: Sendable, Equatable {
        /// Unique within the lab: the role, numbered when several hosts play it (`realserver2`).
        public var name: String
        /// The host name the runbook's steps use (`director`, `realserver`).
        public var role: String
        public var addresses: [Address]
        /// The starting routes the declaration gives (`ip route add` arguments, checked).
        public var routes: [Route] = []
        /// TCP ports the built-in responder listens on, on every address.
        public var listen: [Int] = []
        /// Starting `net.*` settings (only those: a namespace shares every other sysctl with
        /// this machine).
        public var sysctls: [Setting] = []

        /// The devices its addresses are on, in order, `lo` aside: a veth each.
        public var devices: [String] {
            var seen: [String] = []
            for address in addresses where address.device != "lo" && !seen.contains(address.device) {
                seen.append(address.device)
            }
            return seen
        }
    }

    public struct Setting: Sendable, Equatable {
        public var key: String
        public var value: String
    }

    public struct Route: Sendable, Equatable {
        /// CIDR; `0.0.0.0/0` for `default`.
        public var destination: String
        public var gateway: String?
        public var device: String?

        /// The arguments of `ip route add`.
        var arguments: String {
            (destination == "0.0.0.0/0" ? "default" : destination) + (gateway.map { " via \($0)" } ?? "")
                + (device.map { " dev \($0)" } ?? "")
        }
    }

    /// A probe the declaration asks for: a TCP connect (`port`) or an ICMP echo (no port) from
    /// one host, `count` times at once, and what it should show before the steps and after.
    public struct Probe: Sendable, Equatable {
        public var from: String
        public var address: String
        public var port: Int?
        public var count: Int
        public var before: FrontMatter.LabDeclaration.Outcome?
        public var after: FrontMatter.LabDeclaration.Outcome?
        public var line: Int

        /// `a -> 192.168.20.2:80` or `a ping 192.168.20.2`.
        public var name: String {
            port.map { "\(from) -> \(address):\($0)" } ?? "\(from) ping \(address)"
        }
    }

    /// A host's /proc/net/snmp counter (`IcmpOutRedirects`) and how much it may grow while the
    /// probes before and after run: as the front matter declares it, once its host is checked.
    public typealias Counter = FrontMatter.LabDeclaration.Counter

    public var hosts: [Host]
    public var prefixLength: Int
    /// Where clients reach the service: the director's VIP.
    public var virtualAddress: String?
    public var port: Int
    /// Line of the diagram (or front matter) the topology was read from.
    public var line: Int
    /// Declared probes and counters: when there are any, they are what `lab run` checks.
    public var probes: [Probe] = []
    public var counters: [Counter] = []
    /// The service the runbook defines with ipvsadm on the VIP, which the lab builds instead of
    /// its own round robin.
    public var definedService: DefinedService? = nil

    /// Why a runbook has no lab (see `UsageProblem`).
    public typealias Problem = UsageProblem

    /// The network all hosts share, from the first address and the prefix length.
    public var subnet: String? {
        guard let first = hosts.first?.addresses.first, let address = IPv4.parse(first.address) else { return nil }
        let mask: UInt32 = prefixLength == 0 ? 0 : UInt32.max << (32 - prefixLength)
        let network = address & mask
        return "\(network >> 24).\(network >> 16 & 0xFF).\(network >> 8 & 0xFF).\(network & 0xFF)/\(prefixLength)"
    }

    /// Every subnet the addresses use, in order of appearance: a bridge each (`lo` joins none).
    public var subnets: [String] {
        var seen: [String] = []
        for host in hosts {
            for address in host.addresses where address.device != "lo" && !seen.contains(address.subnet) {
                seen.append(address.subnet)
            }
        }
        return seen
    }

    public var director: Host? { hosts.first { $0.role == "director" } }
    public var client: Host? { hosts.first { $0.role == "client" } }
    public var realservers: [Host] { hosts.filter { $0.role == "realserver" } }

    /// The address each realserver routes through: the director's address that is not the VIP.
    public var directorAddress: String? {
        director?.addresses.first { $0.address != virtualAddress }?.address
    }

    /// The topology of a runbook: inferred from its ASCII architecture diagram, whose box labels
    /// (`client`, `director`, `realserver`) and `NAME=ADDRESS (iface)` annotations give the hosts.
    public static func of(_ runbook: Runbook) throws(Problem) -> LabTopology {
        var topology = try shape(of: runbook)
        topology.takeAddresses(from: runbook)
        topology.defineService(from: runbook)
        return topology
    }

    private static func shape(of runbook: Runbook) throws(Problem) -> LabTopology {
        if let declared = try declared(in: runbook) { return declared }
        let roles = Set(runbook.hosts + ["client", "director", "realserver"])
        for block in runbook.otherBlocks {
            let diagram = Diagram(block)
            guard !diagram.annotations.isEmpty, !diagram.labels(roles).isEmpty else { continue }
            return try infer(diagram, roles: roles, file: runbook.file)
        }
        throw Problem(
            description: """
                \(runbook.file): no architecture diagram found: a code block with box labels (client, director, \
                realserver) and NAME=ADDRESS annotations (VIP=192.168.1.110 (eth0:110)).
                """)
    }

    private static func infer(_ diagram: Diagram, roles: Set<String>, file: String) throws(Problem) -> LabTopology {
        let labels = diagram.labels(roles)
        var addresses = [[Address]](repeating: [], count: labels.count)
        for annotation in diagram.annotations {
            // The name says the role where the LVS-HOWTO conventions apply; the position says
            // which box of that role.
            let role = conventionalRole(annotation.name)
            let candidates = labels.indices.filter { role == nil || labels[$0].role == role }
            let ranked = candidates.sorted { distance(labels[$0], annotation) < distance(labels[$1], annotation) }
            guard let best = ranked.first else {
                throw Problem(
                    .error(
                        file, diagram.line + annotation.row,
                        "\(annotation.name)=\(annotation.address) is not near any \(role ?? "host") box; declare the topology under lab: in the front matter"
                    ))
            }
            if ranked.count > 1, distance(labels[ranked[1]], annotation) == distance(labels[best], annotation) {
                throw Problem(
                    .error(
                        file, diagram.line + annotation.row,
                        "\(annotation.name)=\(annotation.address) is as near to two boxes; declare the topology under lab: in the front matter"
                    ))
            }
            addresses[best].append(
                Address(
                    address: annotation.address, name: annotation.name, label: annotation.interface,
                    line: diagram.line + annotation.row))
        }
        var hosts: [Host] = []
        for role in ["client", "director", "realserver"] + roles.sorted()
        where !hosts.contains(where: { $0.role == role }) {
            let boxes = labels.indices.filter { labels[$0].role == role }.sorted {
                labels[$0].column < labels[$1].column
            }
            for (number, box) in boxes.enumerated() {
                guard !addresses[box].isEmpty else {
                    throw Problem(
                        .error(
                            file, diagram.line + labels[box].row,
                            "the \(role) box has no NAME=ADDRESS annotation near it; declare the topology under lab: in the front matter"
                        ))
                }
                hosts.append(
                    Host(name: boxes.count > 1 ? "\(role)\(number + 1)" : role, role: role, addresses: addresses[box]))
            }
        }
        let vip = diagram.annotations.first { $0.name.hasPrefix("VIP") }?.address
        return LabTopology(hosts: hosts, prefixLength: 24, virtualAddress: vip, port: 80, line: diagram.line)
    }

    /// LVS-HOWTO names: VIP and DIP are the director's, RIPn the realservers', CIP the client's.
    private static func conventionalRole(_ name: String) -> String? {
        if name.hasPrefix("VIP") || name.hasPrefix("DIP") { return "director" }
        if name.hasPrefix("RIP") { return "realserver" }
        if name.hasPrefix("CIP") { return "client" }
        return nil
    }

    /// Rows count double: annotations sit beside or under their box, rarely far above it.
    /// Letters, digits, `.`, `_` and `-`, starting with a letter or digit: safe in a namespace
    /// name, an interface name and a line of `ip -batch`.
    static func isName(_ text: Substring, limit: Int) -> Bool {
        guard let first = text.utf8.first, Bytes.isAlphanumeric(first), text.utf8.count <= limit else { return false }
        return text.utf8.allSatisfy {
            Bytes.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
    }

    /// An address label: a device (`eth0`, `eth1`, `lo`) or `DEVICE:NAME`, as the kernel wants
    /// (the device's name first, 15 bytes at most).
    static func isLabel(_ text: Substring) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard text.utf8.count <= 15, let device = parts.first, let first = device.utf8.first, Bytes.isLetter(first),
            device.utf8.allSatisfy(Bytes.isAlphanumeric)
        else { return false }
        return parts.count == 1 || isName(parts[1], limit: 14)
    }

    private static func distance(_ label: Diagram.Label, _ annotation: Diagram.Annotation) -> Int {
        2 * abs(label.row - annotation.row) + abs(label.column - annotation.column)
    }
}
