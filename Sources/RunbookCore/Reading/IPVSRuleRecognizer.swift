extension IPVSRule {
    /// Types `ipvsadm -A|-E|-D -t|-u|-f SERVICE [-s SCHED] [-p [T]]`,
    /// `ipvsadm -a|-e|-d -t|-u|-f SERVICE -r RIP[:PORT] [-g|-m|-i] [-w W]` and `ipvsadm -C`,
    /// long options too. Reads (`-L`, `-S`), thresholds, netmasks and names rather than
    /// addresses leave the command plain.
    package static func recognize(_ command: String, shell: ShellWords) -> IPVSRule? {
        guard shell.program == "ipvsadm",
            shell.tokens.allSatisfy({ if case .word(let w) = $0 { w.isLiteral } else { false } })
        else { return nil }
        var words = shell.words[...]
        if words.first == "sudo" { words = words.dropFirst() }
        return parse(arguments: words.dropFirst(), command: command)
    }

    /// The rules of an `ipvsadm-restore` (or `ipvsadm -R`) heredoc, with their offsets in it:
    /// one `ipvsadm` argument list a line, as `ipvsadm-save` writes them. Nil when a line is
    /// not a rule.
    package static func restoreRules(_ body: [Substring]) -> [(offset: Int, rule: IPVSRule)]? {
        var rules: [(offset: Int, rule: IPVSRule)] = []
        for (offset, line) in body.enumerated() where !line.trimmingSpaces.isEmpty {
            let shell = ShellWords(line)
            guard shell.tokens.allSatisfy({ if case .word(let w) = $0 { w.isLiteral } else { false } }),
                let rule = parse(arguments: shell.words[...], command: "ipvsadm " + String(line.trimmingSpaces))
            else { return nil }
            rules.append((offset, rule))
        }
        return rules.isEmpty ? nil : rules
    }

    /// Whether the command feeds rules to ipvsadm from its standard input.
    package static func isRestore(_ shell: ShellWords) -> Bool {
        var words = shell.words[...]
        if words.first == "sudo" { words = words.dropFirst() }
        return words.first == "ipvsadm-restore" || (words.first == "ipvsadm" && words.dropFirst().first == "-R")
    }

    /// `-A` and `--add-service`: ipvsadm's long options are the actions' names.
    private static let actions: [String: Action] = Dictionary(
        uniqueKeysWithValues: Action.allCases.flatMap { [($0.flag, $0), ("--" + $0.rawValue, $0)] })

    /// `-t` and `--tcp-service`.
    private static let protocols: [String: ServiceProtocol] = Dictionary(
        uniqueKeysWithValues: ServiceProtocol.allCases.flatMap { [($0.flag, $0), ("--\($0.rawValue)-service", $0)] })

    private static let methods: [String: Forwarding] = [
        "-g": .route, "--gatewaying": .route, "-m": .masq, "--masquerading": .masq, "-i": .tunnel, "--ipip": .tunnel,
    ]

    private static func parse(arguments: ArraySlice<String>, command: String) -> IPVSRule? {
        var words = arguments
        var action: Action? = nil
        var rule = IPVSRule(action: .clear, serviceProtocol: nil, service: nil, command: command)
        var server: String? = nil
        while let word = words.popFirst() {
            if let found = actions[word] {
                guard action == nil else { return nil }
                action = found
            } else if let found = protocols[word] {
                guard rule.service == nil, let value = words.popFirst() else { return nil }
                rule.serviceProtocol = found
                rule.service = value
            } else if let found = methods[word] {
                rule.forwarding = found
            } else if word == "-s" || word == "--scheduler" {
                guard let value = words.popFirst(), value.allSatisfy(\.isLetter) else { return nil }
                rule.scheduler = value
            } else if word == "-p" || word == "--persistent" {
                rule.persistent = 300
                if let value = words.first, let seconds = Int(value) {
                    rule.persistent = seconds
                    words = words.dropFirst()
                }
            } else if word == "-r" || word == "--real-server" {
                guard server == nil, let value = words.popFirst() else { return nil }
                server = value
            } else if word == "-w" || word == "--weight" {
                guard let value = words.popFirst(), let weight = Int(value), weight >= 0 else { return nil }
                rule.weight = weight
            } else {
                return nil
            }
        }
        guard let action else { return nil }
        rule.action = action
        if action == .clear {
            return rule.service == nil && server == nil ? rule : nil
        }
        guard let serviceProtocol = rule.serviceProtocol, let service = rule.service,
            let port = servicePort(service, serviceProtocol)
        else { return nil }
        if action.isServerRule {
            guard let server, let address = serverAddress(server, defaultPort: port),
                rule.scheduler == nil, rule.persistent == nil
            else { return nil }
            rule.server = address
            if action != .deleteServer {
                rule.forwarding = rule.forwarding ?? .route
                rule.weight = rule.weight ?? 1
            } else if rule.forwarding != nil || rule.weight != nil {
                return nil
            }
        } else {
            guard server == nil, rule.forwarding == nil, rule.weight == nil else { return nil }
            if action == .deleteService, rule.scheduler != nil || rule.persistent != nil { return nil }
        }
        return rule
    }

    /// The port of `VIP:PORT` (`""` for a fwmark service, which has none); nil when the
    /// service is not a literal address and port.
    private static func servicePort(_ service: String, _ serviceProtocol: ServiceProtocol) -> String? {
        if serviceProtocol == .fwmark { return UInt32(service) == nil ? nil : "" }
        let parts = service.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, IPv4.parse(parts[0]) != nil, let port = UInt16(parts[1]) else { return nil }
        return String(port)
    }

    /// `RIP:PORT`, the service's port when the server gives none.
    private static func serverAddress(_ server: String, defaultPort: String) -> String? {
        let parts = server.split(separator: ":", omittingEmptySubsequences: false)
        guard IPv4.parse(parts[0]) != nil, parts.count <= 2 else { return nil }
        if parts.count == 2 {
            guard let port = UInt16(parts[1]) else { return nil }
            return "\(parts[0]):\(port)"
        }
        // A fwmark service has no port; ipvsadm lists its servers with port 0.
        return "\(parts[0]):\(defaultPort.isEmpty ? "0" : defaultPort)"
    }
}
