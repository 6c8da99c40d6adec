extension RouteChange {
    /// Types `route add|del [-net|-host] DEST [netmask M] [gw G] [dev D] [metric N]` and
    /// `ip route add|del|replace DEST [via G] [dev D] [metric N]`. Anything with options we do
    /// not model (tables, IPv6, `proto`) stays a plain command, so that it runs as documented.
    package static func recognize(_ command: String, shell: ShellWords) -> RouteChange? {
        // `route add X`, `ip r a X`: three words at least (`route -n` is not a change).
        guard shell.tokens.count >= 3, let program = shell.program, program == "route" || program == "ip",
            shell.tokens.allSatisfy({ if case .word(let w) = $0 { w.isLiteral } else { false } })
        else { return nil }
        let (namespace, words) = NamespacePrefix.split(shell.words)
        var change: RouteChange?
        switch words.first {
        case "route": change = netTools(words.dropFirst(), command: command)
        case "ip": change = iproute(words.dropFirst(), command: command)
        default: return nil
        }
        change?.namespace = namespace
        return change
    }

    /// Route types other than unicast: the change is not to a route through a gateway or a
    /// device, and stays a plain command until the model has them.
    private static let routeTypes: Set<String> = [
        "reject", "blackhole", "unreachable", "prohibit", "throw", "nat", "local", "broadcast", "multicast", "anycast",
    ]

    private static func netTools(_ words: ArraySlice<String>, command: String) -> RouteChange? {
        var words = words
        guard let verb = words.popFirst(),
            let action = verb == "add" ? Action.add : verb == "del" || verb == "delete" ? .del : nil
        else {
            return nil
        }
        var isHost = false
        var target: String? = nil
        var netmask: String? = nil
        var gateway: String? = nil
        var device: String? = nil
        var metric: Int? = nil
        while let word = words.popFirst() {
            switch word {
            case "-net": isHost = false
            case "-host": isHost = true
            case "netmask": netmask = words.popFirst()
            case "gw": gateway = words.popFirst()
            case "dev": device = words.popFirst()
            case "metric": metric = words.popFirst().flatMap { Int($0) }; if metric == nil { return nil }
            default:
                if routeTypes.contains(word) { return nil }
                if target == nil {
                    target = word
                } else if device == nil, words.isEmpty {
                    device = word
                } else {
                    return nil
                }
            }
        }
        guard let target else { return nil }
        let destination: String?
        if target == "default" {
            destination = "0.0.0.0/0"
        } else if let netmask {
            guard !isHost, let length = IPv4.prefixLength(mask: netmask.utf8), IPv4.parse(target) != nil else {
                return nil
            }
            destination = "\(target)/\(length)"
        } else {
            destination = IPv4.cidr(target)
        }
        guard let destination, gateway.map({ IPv4.parse($0) != nil }) ?? true,
            device.map(InterfaceName.isDeviceOrLabel) ?? true
        else { return nil }
        return RouteChange(
            action: action, destination: destination, gateway: gateway, device: device, metric: metric, command: command
        )
    }

    private static func iproute(_ words: ArraySlice<String>, command: String) -> RouteChange? {
        var words = words
        if words.first == "-4" { words = words.dropFirst() }
        guard let object = words.popFirst(), ["r", "ro", "rou", "rout", "route"].contains(object),
            let verb = words.popFirst()
        else { return nil }
        let action: Action
        switch verb {
        case "add", "a": action = .add
        case "del", "delete", "d": action = .del
        case "replace": action = .replace
        case "change", "chg": action = .change
        default: return nil
        }
        guard let target = words.popFirst(), let destination = IPv4.cidr(target) else { return nil }
        var gateway: String? = nil
        var device: String? = nil
        var metric: Int? = nil
        while let word = words.popFirst() {
            switch word {
            case "via": gateway = words.popFirst(); if gateway.flatMap(IPv4.parse) == nil { return nil }
            case "dev":
                device = words.popFirst()
                guard let device, InterfaceName.isDeviceOrLabel(device) else { return nil }
            case "metric", "preference", "priority":
                metric = words.popFirst().flatMap { Int($0) }; if metric == nil { return nil }
            default: return nil
            }
        }
        return RouteChange(
            action: action, destination: destination, gateway: gateway, device: device, metric: metric, command: command
        )
    }
}
