/// One row of a routing table, in the form both `route -n` and `ip route` reduce to.
/// Reads documented routing tables, so that they can be compared with the kernel's as sets.
public enum RouteTable {
    public enum Format: Sendable {
        /// net-tools `route -n`: `Destination Gateway Genmask Flags Metric Ref Use Iface`.
        case netTools
        /// iproute2 `ip route`: `DEST [via GW] dev DEV [proto P] [scope S] [src A] [metric N]`.
        case iproute
    }

    /// The table format a command prints, or nil when it does not print a routing table.
    package static func format(ofCommand shell: ShellWords) -> Format? {
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
        parse(lines: Bytes.lines(output)[...], format: format)
    }

    package static func parse(lines: ArraySlice<Substring>, format: Format) -> [RouteEntry]? {
        var entries: [RouteEntry] = []
        entries.reserveCapacity(lines.count)
        // Fields are ranges of the line's bytes, in one array reused line after line: a
        // table is read without a substring (and its retain) per field.
        var ranges: [Range<Int>] = []
        for line in lines {
            if format == .netTools, line.hasBytePrefix("Kernel IP routing table") { continue }
            var isHeader = false
            let entry: RouteEntry? = line.withBytes { bytes in
                ranges.removeAll(keepingCapacity: true)
                var index = 0
                while let field = Bytes.nextField(in: bytes, from: &index) { ranges.append(field) }
                return ranges.withUnsafeBufferPointer { ranges in
                    let fields = Fields(bytes: bytes, ranges: ranges)
                    isHeader = ranges.isEmpty || (format == .netTools && fields.is(0, "Destination"))
                    if isHeader { return nil }
                    return format == .netTools ? netToolsRow(fields) : iprouteRow(fields)
                }
            }
            if isHeader { continue }
            guard let entry else { return nil }
            entries.append(entry)
        }
        return entries.isEmpty ? nil : entries
    }

    /// The fields of one line of a table, as `awk` splits them.
    private struct Fields {
        package let bytes: UnsafeBufferPointer<UInt8>
        package let ranges: UnsafeBufferPointer<Range<Int>>

        package var count: Int { ranges.count }

        package subscript(index: Int) -> Slice<UnsafeBufferPointer<UInt8>> { bytes[ranges[index]] }

        package func `is`(_ index: Int, _ text: StaticString) -> Bool {
            index < ranges.count && text.withUTF8Buffer { self[index].elementsEqual($0) }
        }

        package func string(_ index: Int) -> String {
            String(decoding: self[index], as: UTF8.self)
        }
    }

    private static func netToolsRow(_ fields: Fields) -> RouteEntry? {
        guard fields.count == 8, let length = IPv4.prefixLength(mask: fields[2]), let metric = Bytes.integer(fields[4]) else {
            return nil
        }
        let destination = fields.is(0, "default") ? "0.0.0.0" : fields.string(0)
        guard IPv4.parse(destination.utf8) != nil else { return nil }
        var gateway: String? = nil
        if !fields.is(1, "0.0.0.0") && !fields.is(1, "*") {
            guard IPv4.parse(fields[1]) != nil else { return nil }
            gateway = fields.string(1)
        }
        return RouteEntry(destination: destination + "/" + String(length), gateway: gateway, device: fields.string(7),
                          metric: metric, flags: fields.string(3))
    }

    private static func iprouteRow(_ fields: Fields) -> RouteEntry? {
        var index = fields.is(0, "unicast") ? 1 : 0
        guard index < fields.count, let destination = IPv4.cidr(fields.string(index)) else { return nil }
        var entry = RouteEntry(destination: destination, gateway: nil, device: nil, metric: 0, flags: nil)
        index += 1
        func value() -> Int? {
            index += 1
            return index < fields.count ? index : nil
        }
        while index < fields.count {
            let field = fields.string(index)
            switch field {
            case "via":
                guard let gateway = value(), IPv4.parse(fields[gateway]) != nil else { return nil }
                entry.gateway = fields.string(gateway)
            case "dev":
                guard let device = value() else { return nil }
                entry.device = fields.string(device)
            case "metric":
                guard let metric = value().flatMap({ Bytes.integer(fields[$0]) }) else { return nil }
                entry.metric = metric
            case "proto", "scope", "src", "table", "mtu", "advmss", "expires", "realm", "pref", "initcwnd", "initrwnd", "hoplimit", "error":
                guard value() != nil else { return nil }
            case "onlink", "linkdown", "pervasive", "offload", "dead", "notify", "rt_offload", "rt_trap":
                break
            default:
                return nil
            }
            index += 1
        }
        return entry
    }
}
