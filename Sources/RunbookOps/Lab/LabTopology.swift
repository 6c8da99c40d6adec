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
    }

    public struct Host: Sendable, Equatable {
        /// Unique within the lab: the role, numbered when several hosts play it (`realserver2`).
        public var name: String
        /// The host name the runbook's steps use (`director`, `realserver`).
        public var role: String
        public var addresses: [Address]
    }

    public var hosts: [Host]
    public var prefixLength: Int
    /// Where clients reach the service: the director's VIP.
    public var virtualAddress: String?
    public var port: Int
    /// Line of the diagram (or front matter) the topology was read from.
    public var line: Int
    /// The service the runbook defines with ipvsadm on the VIP, which the lab builds instead of
    /// its own round robin.
    public var definedService: DefinedService? = nil

    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The network all hosts share, from the first address and the prefix length.
    public var subnet: String? {
        guard let first = hosts.first?.addresses.first, let address = IPv4.parse(first.address) else { return nil }
        let mask: UInt32 = prefixLength == 0 ? 0 : UInt32.max << (32 - prefixLength)
        let network = address & mask
        return "\(network >> 24).\(network >> 16 & 0xFF).\(network >> 8 & 0xFF).\(network & 0xFF)/\(prefixLength)"
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

    /// The front matter's `lab:` declaration, for diagrams that cannot be read:
    ///
    ///     lab:
    ///       service: 192.168.1.110:80
    ///       hosts:
    ///         - {name: director, role: director, addresses: ["192.168.1.110/24 eth0:110", "192.168.1.9/24 eth0:9"]}
    ///         - {name: rs1, role: realserver, addresses: [192.168.1.2/24]}
    static func declared(in runbook: Runbook) throws(Problem) -> LabTopology? {
        guard let lab = runbook.frontMatter?.lab else { return nil }
        let file = runbook.file
        var hosts: [Host] = []
        var prefix = 24
        for host in lab.hosts {
            // The name becomes part of a namespace's name and of `ip -batch` lines.
            guard isName(host.name[...], limit: 32) else {
                throw Problem(
                    description:
                        "\(file):\(host.line): lab host name '\(host.name)' is not a name: letters, digits, '.', '_', '-', at most 32"
                )
            }
            var parsed: [Address] = []
            for text in host.addresses {
                let words = text.split(separator: " ")
                let cidr = words.first?.split(separator: "/") ?? []
                guard let address = cidr.first, IPv4.parse(address) != nil, words.count <= 2,
                    words.count == 1 || isLabel(words[1])
                else {
                    throw Problem(
                        description:
                            "\(file):\(host.line): '\(text)' (host \(host.name)) is not ADDRESS/LEN [LABEL], LABEL being eth0 or eth0:NAME (at most 15 bytes)"
                    )
                }
                if cidr.count == 2, let length = Int(cidr[1]) { prefix = length }
                parsed.append(
                    Address(
                        address: String(address), name: nil, label: words.count > 1 ? String(words[1]) : "eth0",
                        line: host.line))
            }
            hosts.append(Host(name: host.name, role: host.role, addresses: parsed))
        }
        var vip: String? = nil, port = 80
        if let service = lab.service {
            let parts = service.split(separator: ":")
            guard let address = parts.first, IPv4.parse(address) != nil, parts.count <= 2 else {
                throw Problem(description: "\(file):\(lab.line): lab service '\(service)' is not VIP[:PORT]")
            }
            vip = String(address)
            if parts.count == 2 {
                guard let number = Int(parts[1]), (1...65535).contains(number) else {
                    throw Problem(description: "\(file):\(lab.line): lab service '\(service)' has no port 1-65535")
                }
                port = number
            }
        } else {
            vip = hosts.first { $0.role == "director" }?.addresses.first?.address
        }
        return LabTopology(hosts: hosts, prefixLength: prefix, virtualAddress: vip, port: port, line: 1)
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
                    description:
                        "\(file):\(diagram.line + annotation.row): \(annotation.name)=\(annotation.address) is not near any \(role ?? "host") box; declare the topology under lab: in the front matter"
                )
            }
            if ranked.count > 1, distance(labels[ranked[1]], annotation) == distance(labels[best], annotation) {
                throw Problem(
                    description:
                        "\(file):\(diagram.line + annotation.row): \(annotation.name)=\(annotation.address) is as near to two boxes; declare the topology under lab: in the front matter"
                )
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
                        description:
                            "\(file):\(diagram.line + labels[box].row): the \(role) box has no NAME=ADDRESS annotation near it; declare the topology under lab: in the front matter"
                    )
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
    private static func isName(_ text: Substring, limit: Int) -> Bool {
        guard let first = text.utf8.first, Bytes.isAlphanumeric(first), text.utf8.count <= limit else { return false }
        return text.utf8.allSatisfy {
            Bytes.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
        }
    }

    /// An address label of the lab's one device: `eth0` or `eth0:NAME`, as the kernel wants
    /// (the device's name first, 15 bytes at most).
    private static func isLabel(_ text: Substring) -> Bool {
        text == "eth0" || text.hasPrefix("eth0:") && isName(text.dropFirst(5), limit: 10)
    }

    private static func distance(_ label: Diagram.Label, _ annotation: Diagram.Annotation) -> Int {
        2 * abs(label.row - annotation.row) + abs(label.column - annotation.column)
    }
}
