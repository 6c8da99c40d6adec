/// Interface addresses as the tools print them, so that documented output of `ip addr`,
/// `ip -o addr`, `ip -br addr` and `ifconfig` compares with the machine's addresses as sets
/// per device, not as text (counters, MAC addresses and lifetimes differ between machines).
package enum AddressTable {
    package enum Format: Sendable {
        /// `ip addr`: `2: eth0: <...>` then indented `inet 192.168.1.9/24 ... eth0:110` lines.
        case iproute
        /// `ip -o addr`: one address a line, `2: eth0    inet 192.168.1.9/24 ... eth0\ ...`.
        case oneLine
        /// `ip -br addr`: `eth0@if5  UP  192.168.1.9/24 fe80::1/64`, no labels.
        case brief
        /// `ifconfig`: `eth0: flags=...` or `eth0  Link encap:...`, then `inet ADDR netmask M`
        /// or `inet addr:ADDR ... Mask:M`.
        case ifconfig
    }

    /// The format a command prints addresses in: `ip [-4] [-o|-br] a[ddress] [show|list] [dev] [DEV]`,
    /// `ifconfig [-a] [DEV]`; nil for anything else.
    package static func format(ofCommand shell: ShellWords) -> Format? {
        var words = shell.words[...]
        if words.first == "sudo" { words = words.dropFirst() }
        guard let program = words.popFirst() else { return nil }
        if program == "ifconfig" {
            if words.first == "-a" { words = words.dropFirst() }
            return words.count <= 1 && words.allSatisfy({ !$0.hasPrefix("-") }) ? .ifconfig : nil
        }
        guard program == "ip" else { return nil }
        var format = Format.iproute
        while let option = words.first, option.hasPrefix("-") {
            switch option {
            case "-4", "-c", "-color", "--color": break
            case "-o", "-oneline": format = .oneLine
            case "-br", "-brief": format = .brief
            default: return nil
            }
            words = words.dropFirst()
        }
        guard let object = words.popFirst(), !object.isEmpty, "address".hasPrefix(object) else { return nil }
        if let verb = words.first, ["show", "list", "lst", "s", "l", "sh"].contains(verb) { words = words.dropFirst() }
        if words.first == "dev" { words = words.dropFirst() }
        return words.count <= 1 ? format : nil
    }

    /// The addresses of `lines`; nil when a line is not of the format or no IPv4 address is
    /// shown (the output is then compared as text: an empty list would promise nothing).
    package static func parse(lines: ArraySlice<Substring>, format: Format) -> [InterfaceAddress]? {
        let addresses: [InterfaceAddress]? =
            switch format {
            case .iproute: iproute(lines)
            case .oneLine: oneLine(lines)
            case .brief: brief(lines)
            case .ifconfig: ifconfig(lines)
            }
        return addresses?.isEmpty == false ? addresses : nil
    }

    package static func parse(oneLine text: String) -> [InterfaceAddress] {
        oneLine(Bytes.lines(text)[...]) ?? []
    }

    private static func iproute(_ lines: ArraySlice<Substring>) -> [InterfaceAddress]? {
        var addresses: [InterfaceAddress] = []
        var device: String? = nil
        for line in lines where !line.trimmingSpaces.isEmpty {
            let words = Bytes.fields(line)
            if line.utf8.first.map(Bytes.isAlphanumeric) == true {
                // `2: eth0@if5: <BROADCAST,...> mtu 1500 ...`
                guard words.count >= 3, words[0].hasSuffix(":"), words[1].hasSuffix(":") else { return nil }
                device = String(words[1].dropLast().split(separator: "@").first ?? "")
                continue
            }
            guard let device, let first = words.first else { return nil }
            switch first {
            case "inet":
                guard words.count >= 2, let cidr = IPv4.cidr(words[1]) else { return nil }
                let label = words.last.map(String.init).flatMap { $0.hasPrefix(device + ":") ? $0 : nil }
                addresses.append(InterfaceAddress(address: cidr, device: device, label: label))
            case "inet6", "valid_lft", "altname", "vf", "RX:", "TX:": continue
            default:
                guard first.hasPrefix("link/") else { return nil }
            }
        }
        return device == nil ? nil : addresses
    }

    private static func oneLine(_ lines: ArraySlice<Substring>) -> [InterfaceAddress]? {
        var addresses: [InterfaceAddress] = []
        for line in lines where !line.trimmingSpaces.isEmpty {
            let words = Bytes.fields(line)
            guard words.count >= 4, words[0].hasSuffix(":") else { return nil }
            guard words[2] == "inet" else {
                if words[2] == "inet6" || words[2].hasPrefix("link/") { continue }
                return nil
            }
            guard let cidr = IPv4.cidr(words[3]) else { return nil }
            let device = String(words[1].split(separator: "@").first ?? words[1])
            // `... eth0:110\       valid_lft forever`: the backslash ends the label's word.
            var label = words.first(where: { $0.hasSuffix("\\") }) ?? words[words.count - 1]
            if label.hasSuffix("\\") { label = label.dropLast() }
            addresses.append(
                InterfaceAddress(
                    address: cidr, device: device, label: label.hasPrefix(device + ":") ? String(label) : nil))
        }
        return addresses
    }

    private static func brief(_ lines: ArraySlice<Substring>) -> [InterfaceAddress]? {
        var addresses: [InterfaceAddress] = []
        for line in lines where !line.trimmingSpaces.isEmpty {
            let words = Bytes.fields(line)
            guard words.count >= 2, ["UP", "DOWN", "UNKNOWN", "LOWERLAYERDOWN", "DORMANT"].contains(words[1]) else {
                return nil
            }
            let device = String(words[0].split(separator: "@").first ?? words[0])
            for word in words.dropFirst(2) {
                if let cidr = IPv4.cidr(word), word.contains("/") {
                    addresses.append(InterfaceAddress(address: cidr, device: device, label: nil))
                }
            }
        }
        return addresses
    }

    private static func ifconfig(_ lines: ArraySlice<Substring>) -> [InterfaceAddress]? {
        var addresses: [InterfaceAddress] = []
        var name: String? = nil
        for line in lines where !line.trimmingSpaces.isEmpty {
            let words = Bytes.fields(line)
            if line.utf8.first.map(Bytes.isAlphanumeric) == true {
                // `eth0: flags=4163<UP,...>  mtu 1500` or `eth0      Link encap:Ethernet`.
                guard words.count >= 2, words[1].hasPrefix("flags=") || words[1] == "Link" else { return nil }
                name = String(words[0].hasSuffix(":") ? words[0].dropLast() : words[0])
                continue
            }
            guard let name else { return nil }
            guard words.first == "inet", words.count >= 2 else { continue }
            let device = String(name.split(separator: ":").first ?? ""), label = name == device ? nil : name
            var address = words[1], mask: Substring? = nil
            if address.hasPrefix("addr:") { address = address.dropFirst(5) }
            if let index = words.firstIndex(of: "netmask"), index + 1 < words.count { mask = words[index + 1] }
            if let field = words.first(where: { $0.hasPrefix("Mask:") }) { mask = field.dropFirst(5) }
            guard IPv4.parse(address) != nil, let mask, let length = IPv4.prefixLength(mask: mask.utf8) else {
                return nil
            }
            addresses.append(InterfaceAddress(address: "\(address)/\(length)", device: device, label: label))
        }
        return name == nil ? nil : addresses
    }
}
