/// One row of a routing table, in the form both `route -n` and `ip route` reduce to.
public struct RouteEntry: Sendable, Hashable {
    public var destination: String
    /// Nil for an on-link route (`0.0.0.0` in `route -n`, no `via` in `ip route`).
    public var gateway: String?
    public var device: String?
    public var metric: Int
    /// `route -n`'s flags (`U`, `UG`, `UH`); nil when the format does not show them.
    public var flags: String?

    public init(destination: String, gateway: String?, device: String?, metric: Int, flags: String?) {
        self.destination = destination
        self.gateway = gateway
        self.device = device
        self.metric = metric
        self.flags = flags
    }
}

/// Reads documented routing tables, so that they can be compared with the kernel's as sets.
public enum RouteTable {
    public enum Format: Sendable {
        /// net-tools `route -n`: `Destination Gateway Genmask Flags Metric Ref Use Iface`.
        case netTools
        /// iproute2 `ip route`: `DEST [via GW] dev DEV [proto P] [scope S] [src A] [metric N]`.
        case iproute
    }

    /// The table format a command prints, or nil when it does not print a routing table.
    static func format(ofCommand shell: ShellWords) -> Format? {
        guard let program = shell.program, program == "route" || program == "ip" else { return nil }
        var words = shell.words[...]
        guard shell.tokens.count == words.count else { return nil }
        if words.first == "sudo" { words = words.dropFirst() }
        switch words.first {
        case "route":
            return words.dropFirst().allSatisfy({ ["-n", "-4", "-v"].contains($0) }) ? .netTools : nil
        case "ip":
            var rest = words.dropFirst()
            if rest.first == "-4" { rest = rest.dropFirst() }
            guard let object = rest.popFirst(), ["r", "ro", "rou", "rout", "route"].contains(object) else { return nil }
            if let verb = rest.first, ["show", "list", "ls", "s", "l", "sh"].contains(verb) { rest = rest.dropFirst() }
            return rest.isEmpty || Array(rest) == ["table", "main"] ? .iproute : nil
        default:
            return nil
        }
    }

    /// Parses a whole table; nil when any line is neither a header nor a route, because a table
    /// we only half understood must not be compared as if we understood it.
    public static func parse(_ output: String, format: Format) -> [RouteEntry]? {
        parse(lines: Bytes.lines(output), format: format)
    }

    static func parse(lines: [Substring], format: Format) -> [RouteEntry]? {
        var entries: [RouteEntry] = []
        entries.reserveCapacity(lines.count)
        var fields: [Substring] = []
        for line in lines {
            Bytes.fields(line, into: &fields)
            if fields.isEmpty { continue }
            let entry: RouteEntry?
            switch format {
            case .netTools:
                if line.hasBytePrefix("Kernel IP routing table") || fields.first == "Destination" { continue }
                entry = netToolsRow(fields)
            case .iproute:
                entry = iprouteRow(fields)
            }
            guard let entry else { return nil }
            entries.append(entry)
        }
        return entries.isEmpty ? nil : entries
    }

    private static func netToolsRow(_ fields: [Substring]) -> RouteEntry? {
        guard fields.count == 8, let length = IPv4.prefixLength(mask: fields[2]), let metric = Int(fields[4]) else {
            return nil
        }
        let destination = fields[0] == "default" ? "0.0.0.0" : fields[0]
        guard IPv4.parse(destination) != nil else { return nil }
        let gateway: String?
        switch fields[1] {
        case "0.0.0.0", "*": gateway = nil
        default:
            guard IPv4.parse(fields[1]) != nil else { return nil }
            gateway = String(fields[1])
        }
        return RouteEntry(destination: String(destination) + "/" + String(length), gateway: gateway, device: String(fields[7]),
                          metric: metric, flags: String(fields[3]))
    }

    private static func iprouteRow(_ fields: [Substring]) -> RouteEntry? {
        var fields = fields[...]
        if fields.first == "unicast" { fields = fields.dropFirst() }
        guard let target = fields.popFirst(), let destination = IPv4.cidr(target) else { return nil }
        var entry = RouteEntry(destination: destination, gateway: nil, device: nil, metric: 0, flags: nil)
        while let field = fields.popFirst() {
            switch field {
            case "via":
                guard let gateway = fields.popFirst(), IPv4.parse(gateway) != nil else { return nil }
                entry.gateway = String(gateway)
            case "dev":
                guard let device = fields.popFirst() else { return nil }
                entry.device = String(device)
            case "metric":
                guard let metric = fields.popFirst().flatMap({ Int($0) }) else { return nil }
                entry.metric = metric
            default:
                switch field {
                case "proto", "scope", "src", "table", "mtu", "advmss", "expires", "realm", "pref", "initcwnd", "initrwnd", "hoplimit", "error":
                    guard fields.popFirst() != nil else { return nil }
                case "onlink", "linkdown", "pervasive", "offload", "dead", "notify", "rt_offload", "rt_trap":
                    break
                default:
                    return nil
                }
            }
        }
        return entry
    }
}
