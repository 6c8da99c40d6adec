import RunbookCore

extension LabTopology {
    /// The front matter's `lab:` declaration, for any shape of network:
    ///
    ///     lab:
    ///       hosts:
    ///         - {name: gw, role: router, addresses: ["192.168.10.1/24 eth0", "192.168.20.1/24 eth1"]}
    ///         - {name: a, addresses: ["192.168.10.2/24"], routes: ["default via 192.168.10.1"]}
    ///         - {name: b, addresses: ["192.168.20.2/24"], routes: ["default via 192.168.20.1"], listen: ["80/tcp"]}
    ///       probes:
    ///         - {from: a, to: "192.168.20.2:80", expect: {before: failed, after: answered}}
    ///
    /// Every value is checked here: names and labels end up in namespace names and `ip -batch`
    /// lines, addresses in nftables rules.
    static func declared(in runbook: Runbook) throws(Problem) -> LabTopology? {
        guard let lab = runbook.frontMatter?.lab else { return nil }
        let file = runbook.file
        var hosts: [Host] = []
        var prefix = 24
        for host in lab.hosts {
            // The name becomes part of a namespace's name and of `ip -batch` lines.
            guard isName(host.name[...], limit: 32), isName(host.role[...], limit: 64) else {
                throw Problem(
                    .error(
                        file, host.line,
                        "lab host name '\(host.name)' (role '\(host.role)') is not a name: letters, digits, '.', '_', '-', at most 32"
                    ))
            }
            var parsed: [Address] = []
            for text in host.addresses {
                let words = text.split(separator: " ")
                let cidr = words.first?.split(separator: "/") ?? []
                guard let address = cidr.first, IPv4.parse(address) != nil, words.count <= 2,
                    words.count == 1 || isLabel(words[1]), cidr.count <= 2,
                    cidr.count == 1 || Int(cidr[1]).map({ (1...32).contains($0) }) == true
                else {
                    throw Problem(
                        .error(
                            file, host.line,
                            "'\(text)' (host \(host.name)) is not ADDRESS/LEN [DEVICE[:NAME]], the label at most 15 bytes"
                        ))
                }
                let length = cidr.count == 2 ? Int(cidr[1])! : 24
                if parsed.isEmpty, hosts.isEmpty { prefix = length }
                parsed.append(
                    Address(
                        address: String(address), name: nil, label: words.count > 1 ? String(words[1]) : "eth0",
                        line: host.line, length: length))
            }
            var declared = Host(name: host.name, role: host.role, addresses: parsed)
            declared.routes = try host.routes.map { text throws(Problem) in
                guard let route = route(text) else {
                    throw Problem(
                        .error(
                            file, host.line,
                            "route '\(text)' (host \(host.name)) is not 'default via GW', 'CIDR via GW [dev DEV]' or 'CIDR dev DEV'"
                        ))
                }
                return route
            }
            declared.listen = try host.listen.map { text throws(Problem) in
                let port = text.hasSuffix("/tcp") ? text.dropLast(4) : text[...]
                guard let number = Int(port), (1...65535).contains(number) else {
                    throw Problem(.error(file, host.line, "listen '\(text)' (host \(host.name)) is not PORT/tcp"))
                }
                return number
            }
            declared.sysctls = try host.sysctls.map { text throws(Problem) in
                let parts = text.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, case .success(let key) = SysctlKey.canonical(parts[0].trimmingSpaces),
                    key.hasPrefix("net."),
                    parts[1].trimmingSpaces.utf8.allSatisfy({ Bytes.isAlphanumeric($0) || $0 == 0x20 || $0 == 0x2E })
                else {
                    throw Problem(
                        .error(
                            file, host.line,
                            "sysctl '\(text)' (host \(host.name)) is not net.KEY=VALUE: a lab host sets only its own network settings"
                        ))
                }
                return Setting(key: key, value: String(parts[1].trimmingSpaces))
            }
            hosts.append(declared)
        }
        var vip: String? = nil, port = 80
        if let service = lab.service {
            let parts = service.split(separator: ":")
            guard let address = parts.first, IPv4.parse(address) != nil, parts.count <= 2 else {
                throw Problem(.error(file, lab.line, "lab service '\(service)' is not VIP[:PORT]"))
            }
            vip = String(address)
            if parts.count == 2 {
                guard let number = Int(parts[1]), (1...65535).contains(number) else {
                    throw Problem(.error(file, lab.line, "lab service '\(service)' has no port 1-65535"))
                }
                port = number
            }
        } else {
            vip = hosts.first { $0.role == "director" }?.addresses.first?.address
        }
        var topology = LabTopology(hosts: hosts, prefixLength: prefix, virtualAddress: vip, port: port, line: 1)
        let names = Set(hosts.map(\.name))
        for probe in lab.probes {
            guard names.contains(probe.from) else {
                throw Problem(.error(file, probe.line, "probe from '\(probe.from)': no lab host has that name"))
            }
            let target = probe.to ?? probe.ping ?? ""
            let parts = target.split(separator: ":")
            let port = parts.count == 2 ? Int(parts[1]) : nil
            guard let address = parts.first, IPv4.parse(address) != nil,
                probe.to == nil ? parts.count == 1 : port.map((1...65535).contains) == true
            else {
                throw Problem(
                    .error(
                        file, probe.line,
                        "probe target '\(target)' is not \(probe.to == nil ? "ADDRESS" : "ADDRESS:PORT")"))
            }
            topology.probes.append(
                Probe(
                    from: probe.from, address: String(address), port: port,
                    count: probe.count, before: probe.before, after: probe.after, line: probe.line))
        }
        for counter in lab.counters {
            guard names.contains(counter.host), isName(counter.name[...], limit: 64) else {
                throw Problem(
                    .error(
                        file, counter.line,
                        "counter \(counter.name) of '\(counter.host)': no such lab host, or not a counter name"))
            }
            topology.counters.append(counter)
        }
        return topology
    }

    /// `default via GW`, `CIDR via GW [dev DEV]`, `CIDR dev DEV`.
    private static func route(_ text: String) -> Route? {
        var words = text.split(separator: " ")[...]
        guard let first = words.popFirst(), let destination = IPv4.cidr(first) else { return nil }
        var route = Route(destination: destination, gateway: nil, device: nil)
        while let word = words.popFirst() {
            guard let value = words.popFirst() else { return nil }
            switch word {
            case "via" where IPv4.parse(value) != nil: route.gateway = String(value)
            case "dev" where isLabel(value) && !value.contains(":"): route.device = String(value)
            default: return nil
            }
        }
        return route.gateway == nil && route.device == nil ? nil : route
    }

    /// The smallest `lab:` front matter that builds a lab for this runbook's hosts: one subnet,
    /// an address each, and a ping between the first two, for the author to adapt.
    public static func suggestion(for runbook: Runbook) -> String {
        var names = runbook.hosts.filter { isName($0[...], limit: 32) }
        if names.isEmpty { names = ["host"] }
        var text = "Declare the lab in the runbook's front matter, for example:\n\n---\nlab:\n  hosts:\n"
        for (index, name) in names.enumerated() {
            text += "    - {name: \(name), addresses: [\"10.0.0.\(index + 1)/24 eth0\"]}\n"
        }
        if names.count > 1 {
            text += "  probes:\n    - {from: \(names[0]), ping: 10.0.0.2, expect: {after: answered}}\n"
        }
        return text + "---\n"
    }
}
