extension AddressChange {
    /// Types `ip addr add|del ADDR[/LEN] dev DEV [label L] [brd B] [scope S]` (and its
    /// abbreviations: `ip a a`), `ifconfig DEV[:N] ADDR [netmask M] [broadcast B] [up]` and
    /// `ifconfig DEV:N down`. Options the model does not carry (`peer`, lifetimes, IPv6) leave
    /// the command plain, so that it runs as documented.
    package static func recognize(_ command: String, shell: ShellWords) -> AddressChange? {
        guard shell.tokens.count >= 3, let program = shell.program, program == "ip" || program == "ifconfig",
            shell.tokens.allSatisfy({ if case .word(let w) = $0 { w.isLiteral } else { false } })
        else { return nil }
        let (namespace, words) = NamespacePrefix.split(shell.words)
        var change: AddressChange?
        switch words.first {
        case "ip": change = iproute(words.dropFirst(), command: command)
        case "ifconfig": change = netTools(words.dropFirst(), command: command)
        default: return nil
        }
        change?.namespace = namespace
        return change
    }

    /// `ip [-4] a[ddress] a[dd]|d[elete] ...`: iproute2 takes any prefix of the object and verb.
    private static func iproute(_ words: ArraySlice<String>, command: String) -> AddressChange? {
        var words = words
        if words.first == "-4" { words = words.dropFirst() }
        guard let object = words.popFirst(), "address".hasPrefix(object), let verb = words.popFirst(), !verb.isEmpty
        else { return nil }
        let action: Action
        if "add".hasPrefix(verb) {
            action = .add
        } else if "delete".hasPrefix(verb) {
            action = .del
        } else {
            return nil
        }
        var address: String? = nil
        var device: String? = nil
        var label: String? = nil
        while let word = words.popFirst() {
            switch word {
            case "dev": device = words.popFirst()
            case "label": label = words.popFirst()
            // iproute2 takes `brd` or any prefix of `broadcast` (`br +`).
            case "brd", "scope",
                _ where word.count >= 2 && "broadcast".hasPrefix(word):
                guard words.popFirst() != nil else { return nil }
            case "local":
                guard address == nil, let value = words.popFirst() else { return nil }
                address = value
            default:
                guard address == nil else { return nil }
                address = word
            }
        }
        guard let written = address, let cidr = IPv4.cidr(written), let device, InterfaceName.isDevice(device) else {
            return nil
        }
        if let label, label != device, !InterfaceName.isLabel(label, of: device) { return nil }
        return AddressChange(
            action: action, address: cidr, device: device, label: label == device ? nil : label, command: command)
    }

    /// `ifconfig eth0:110 192.168.1.110 netmask 255.255.255.0 up`, `ifconfig lo:0 down`.
    private static func netTools(_ words: ArraySlice<String>, command: String) -> AddressChange? {
        var words = words
        guard let name = words.popFirst(), !name.hasPrefix("-") else { return nil }
        let colon = name.firstIndex(of: ":")
        let device = colon.map { String(name[..<$0]) } ?? name
        let label = colon == nil ? nil : name
        guard InterfaceName.isDevice(device), label.map({ InterfaceName.isLabel($0, of: device) }) ?? true,
            let first = words.first
        else { return nil }
        if first == "down" {
            // Taking an alias down removes its address; taking the device down is not an address change.
            guard words.count == 1, label != nil else { return nil }
            return AddressChange(action: .del, address: nil, device: device, label: label, command: command)
        }
        words = words.dropFirst()
        var netmask: String? = nil
        while let word = words.popFirst() {
            switch word {
            case "netmask": netmask = words.popFirst(); if netmask == nil { return nil }
            case "broadcast": guard words.popFirst() != nil else { return nil }
            case "up": continue
            default: return nil
            }
        }
        let cidr: String?
        if first.contains("/") {
            guard netmask == nil else { return nil }
            cidr = IPv4.cidr(first)
        } else if let value = IPv4.parse(first) {
            let length = netmask.map { IPv4.prefixLength(mask: $0.utf8) } ?? classfulLength(value)
            cidr = length.map { "\(first)/\($0)" }
        } else {
            cidr = nil
        }
        guard let cidr else { return nil }
        return AddressChange(action: .add, address: cidr, device: device, label: label, command: command)
    }

    /// The length ifconfig gives an address written without a netmask: its class's.
    private static func classfulLength(_ address: UInt32) -> Int? {
        switch address >> 24 {
        case 0..<128: 8
        case 128..<192: 16
        case 192..<224: 24
        default: nil
        }
    }
}
