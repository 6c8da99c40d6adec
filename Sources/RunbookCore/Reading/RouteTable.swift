/// Reads documented routing tables, so that they can be compared with the kernel's as sets.
public enum RouteTable {
    public enum Format: Sendable, Equatable {
        /// net-tools `route -n`: `Destination Gateway Genmask Flags Metric Ref Use Iface`;
        /// `names` when addresses may be printed as names (`route` without `-n`: `default`,
        /// `_gateway`, `link-local`).
        case netTools(names: Bool)
        /// net-tools `netstat -rn`: `Destination Gateway Genmask Flags MSS Window irtt Iface`.
        case netstat
        /// iproute2 `ip route`: `DEST [via GW] dev DEV [proto P] [scope S] [src A] [metric N]`.
        case iproute
    }

    /// The table format a command prints, or nil when it does not print a routing table. A
    /// table filtered through `grep` (`ip route | grep wg0`) is still one: re-run as written,
    /// the live table is filtered the same way.
    package static func format(ofCommand shell: ShellWords) -> Format? {
        guard let program = shell.program,
            program == "route" || program == "ip" || program == "netstat" || program == "docker"
        else {
            return nil
        }
        // The table command, then only `| grep [-options] WORD` stages.
        var words: ArraySlice<String> = []
        var stage = 0, stageLength = 0
        for token in shell.tokens {
            switch token {
            case .word(let word) where word.isLiteral:
                if stage == 0 {
                    words.append(word.text)
                } else if stageLength == 0, word.text != "grep" {
                    return nil
                }
                stageLength += 1
            case .op("|"):
                guard stageLength >= (stage == 0 ? 1 : 2) else { return nil }
                stage += 1
                stageLength = 0
            default:
                return nil
            }
        }
        guard stage == 0 || stageLength >= 2 else { return nil }
        if words.first == "sudo" { words = words.dropFirst() }
        // The table of another namespace is still a table, printed the same way.
        if words.starts(with: ["ip", "netns", "exec"]), words.count > 4 { words = words.dropFirst(4) }
        // And so is a container's (`docker exec -it web route -n`).
        if words.starts(with: ["docker", "exec"]) {
            words = words.dropFirst(2).drop { $0.hasPrefix("-") }.dropFirst()
        }
        switch words.first {
        case "route":
            let options = words.dropFirst()
            guard options.allSatisfy({ ["-n", "-4", "-v", "-e", "-ee", "-A", "inet"].contains($0) }) else { return nil }
            return .netTools(names: !options.contains("-n"))
        case "netstat":
            let options = words.dropFirst()
            return !options.isEmpty && options.allSatisfy({ ["-rn", "-nr", "-r", "-n", "-4"].contains($0) })
                && options.joined().contains("r")
                ? .netstat : nil
        case "ip":
            var rest = words.dropFirst()
            while let option = rest.first, ["-4", "-c", "-color", "--color"].contains(option) {
                rest = rest.dropFirst()
            }
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

    /// Where an author's note after a row starts (` <- this one`, ` # ...`, ` // ...`): found
    /// by their rare first bytes, not by the blanks every row is full of.
    private static func annotation(in line: Substring) -> Int? {
        line.withBytes { bytes in
            note(in: bytes, UInt8(ascii: "<"), then: UInt8(ascii: "-"))
                ?? note(in: bytes, UInt8(ascii: "#"), then: UInt8(ascii: " "))
                ?? note(in: bytes, UInt8(ascii: "/"), then: UInt8(ascii: "/"))
        }
    }

    /// Where a blank before `mark` (followed by `next`, or ending the line) starts a note.
    private static func note(in bytes: UnsafeBufferPointer<UInt8>, _ mark: UInt8, then next: UInt8) -> Int? {
        var from = 1
        while let at = Bytes.offset(of: mark, in: bytes, from: from) {
            if Bytes.isBlank(bytes[at - 1]), at + 1 == bytes.count || bytes[at + 1] == next { return at - 1 }
            from = at + 1
        }
        return nil
    }

    /// Whether the documented table leaves rows out (`...` lines).
    package static func elidesRows(_ lines: ArraySlice<Substring>) -> Bool {
        lines.contains(where: OutputText.isElision)
    }

    private static let localizedTitle = Array("路由表".utf8)

    /// Header lines in any language (`Kernel IP routing table`, `内核 IP 路由表`).
    private static func isTitle(_ line: Substring) -> Bool {
        line.hasBytePrefix("Kernel IP routing table") || line.withBytes { Bytes.find(localizedTitle, in: $0) != nil }
    }

    package static func parse(lines: ArraySlice<Substring>, format: Format) -> [RouteEntry]? {
        var entries: [RouteEntry] = []
        entries.reserveCapacity(lines.count)
        // Fields are ranges of the line's bytes, in one array reused line after line: a
        // table is read without a substring (and its retain) per field.
        var ranges: [Range<Int>] = []
        for original in lines {
            // Pasted from a web page: columns apart by no-break spaces; and a row annotated by
            // its author (`... dev utun2   <-- this one`).
            var line = original
            if line.firstOffset(of: 0xC2) != nil, line.contains("\u{00A0}") {
                line = Substring(line.replacingOccurrences(of: "\u{00A0}", with: " "))
            }
            if let note = annotation(in: line) { line = line.bytes(0..<note) }
            if format != .iproute, isTitle(line) { continue }
            if OutputText.isElision(line) { continue }
            var isHeader = false
            let entry: RouteEntry? = line.withBytes { bytes in
                ranges.removeAll(keepingCapacity: true)
                var index = 0
                while let field = Bytes.nextField(in: bytes, from: &index) { ranges.append(field) }
                return ranges.withUnsafeBufferPointer { ranges in
                    let fields = Fields(bytes: bytes, ranges: ranges)
                    isHeader = ranges.isEmpty || (format != .iproute && fields.is(0, "Destination"))
                    if isHeader { return nil }
                    switch format {
                    case .netTools(let names): return netToolsRow(fields, names: names, metricColumn: true)
                    case .netstat: return netToolsRow(fields, names: false, metricColumn: false)
                    case .iproute: return iprouteRow(fields)
                    }
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

    /// A row of `route`'s or `netstat -r`'s table; with `names`, `default` and other names
    /// stand for addresses, as `route` without `-n` prints them.
    private static func netToolsRow(_ fields: Fields, names: Bool, metricColumn: Bool) -> RouteEntry? {
        guard fields.count == 8, let length = IPv4.prefixLength(mask: fields[2]), let metric = Bytes.integer(fields[4])
        else {
            return nil
        }
        let destination = fields.is(0, "default") ? "0.0.0.0" : fields.string(0)
        guard IPv4.parse(destination.utf8) != nil || (names && isHostName(fields[0])) else { return nil }
        var gateway: String? = nil
        if !fields.is(1, "0.0.0.0") && !fields.is(1, "*") {
            guard IPv4.parse(fields[1]) != nil || (names && isHostName(fields[1])) else { return nil }
            gateway = fields.string(1)
        }
        return RouteEntry(
            destination: destination + "/" + String(length), gateway: gateway, device: fields.string(7),
            metric: metricColumn ? metric : 0, flags: fields.string(3))
    }

    /// A name `route` prints for an address it could resolve (`_gateway`, `link-local`).
    private static func isHostName(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let first = bytes.first, Bytes.isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy {
            Bytes.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
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
            case "proto", "scope", "src", "table", "mtu", "advmss", "expires", "realm", "pref", "initcwnd", "initrwnd",
                "hoplimit", "error":
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
