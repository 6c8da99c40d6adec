import Foundation

@testable import RunbookCore

/// The answer key of one corpus document (Tests/Fixtures/corpus/LABELLING.md), and what the
/// reader made of it in the same shape, so that the two compare fact by fact.
struct Facts {
    enum Kind: String, CaseIterable {
        case sysctl = "S", route = "R", plainRoute = "U", table = "T", address = "A", ipvs = "V", command = "C"
    }

    /// One fact: what is compared (`what`) and the host, which is scored on its own.
    struct Fact: Hashable {
        var kind: Kind
        var host: String
        var what: String
    }

    var facts: [Fact] = []

    /// Reads an answer key. Fields are split from both ends where a field may itself hold `|`
    /// (a command's pipe, a `kernel.core_pattern` value).
    init(key text: String) {
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3, let kind = Kind(rawValue: fields[0]) else { continue }
            let host = fields[1].lowercased()
            switch kind {
            case .sysctl:
                guard fields.count >= 4 else { continue }
                let setting = fields[2..<(fields.count - 1)].joined(separator: "|")
                facts.append(
                    Fact(kind: kind, host: host, what: Facts.setting(setting, persist: fields[fields.count - 1])))
            case .route, .address:
                guard fields.count == 6 else { continue }
                facts.append(Fact(kind: kind, host: host, what: fields[2...].joined(separator: "|")))
            case .ipvs:
                guard fields.count == 8 else { continue }
                facts.append(Fact(kind: kind, host: host, what: fields[2...].joined(separator: "|")))
            case .plainRoute, .command:
                facts.append(Fact(kind: kind, host: host, what: Facts.command(fields[2...].joined(separator: "|"))))
            case .table:
                guard fields.count >= 4 else { continue }
                let command = Facts.command(fields[2..<(fields.count - 1)].joined(separator: "|"))
                facts.append(Fact(kind: kind, host: host, what: command + " => " + fields[fields.count - 1]))
            }
        }
        // The command that prints a table is a command too, whether or not the key repeats it.
        let commands = Set(facts.filter { $0.kind == .command }.map(\.what))
        for fact in facts where fact.kind == .table {
            let command = String(fact.what[..<fact.what.range(of: " => ")!.lowerBound])
            if !commands.contains(command) { facts.append(Fact(kind: .command, host: fact.host, what: command)) }
        }
    }

    /// What the reader typed, as facts of the answer key's kinds.
    init(steps: [Step]) {
        for step in steps {
            let host = step.host?.lowercased() ?? "-"
            switch step.action {
            case .sysctl(let setting):
                facts.append(
                    Fact(
                        kind: .sysctl, host: host,
                        what: Facts.setting("\(setting.key)=\(setting.value)", persist: setting.persist ?? "-")))
            case .route(let change):
                facts.append(
                    Fact(
                        kind: .route, host: host,
                        what: [
                            change.action.rawValue, change.destination,
                            change.gateway ?? "-", change.device ?? "-",
                        ].joined(separator: "|")))
            case .address(let change):
                facts.append(Fact(kind: .address, host: host, what: Facts.address(change)))
            case .ipvs(let rule):
                facts.append(
                    Fact(
                        kind: .ipvs, host: host,
                        what: [
                            rule.action.rawValue, rule.serviceProtocol?.rawValue ?? "-", rule.service ?? "-",
                            rule.server ?? "-", rule.forwarding?.rawValue ?? "-", rule.weight.map(String.init) ?? "-",
                        ].joined(separator: "|")))
            case .command(let command):
                if let change = command.namespacedAddress, let namespace = change.namespace {
                    facts.append(
                        Fact(kind: .address, host: "netns:" + namespace.lowercased(), what: Facts.address(change)))
                    continue
                }
                if let change = command.namespacedRoute, let namespace = change.namespace {
                    facts.append(
                        Fact(
                            kind: .route, host: "netns:" + namespace.lowercased(),
                            what: [
                                change.action.rawValue, change.destination,
                                change.gateway ?? "-", change.device ?? "-",
                            ].joined(separator: "|")))
                    continue
                }
                let text = Facts.command(String(command.text.prefix { $0 != "\n" }))
                facts.append(Fact(kind: Facts.isRouteChange(text) ? .plainRoute : .command, host: host, what: text))
                if let routes = command.expect?.routes {
                    let rows = routes.map { "\($0.destination)>\($0.gateway ?? "-")>\($0.device ?? "-")" }.joined(
                        separator: ";")
                    facts.append(Fact(kind: .table, host: host, what: text + " => " + rows))
                }
            }
        }
    }

    static func address(_ change: AddressChange) -> String {
        [change.action.rawValue, change.address ?? "-", change.device, change.label ?? "-"].joined(separator: "|")
    }

    static func setting(_ assignment: String, persist: String) -> String {
        let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let key = parts[0].trimmingCharacters(in: .whitespaces)
        let value =
            parts.count > 1 ? parts[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") : ""
        return "\(key)=\(value) @\(persist)"
    }

    /// A command as the key writes it: one line, blanks collapsed, no continuation backslash.
    static func command(_ text: String) -> String {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
        if words.last == "\\" { words.removeLast() }
        return words.joined(separator: " ")
    }

    /// `route add|del`, `ip route add|del|replace|change` and their abbreviations.
    static func isRouteChange(_ command: String) -> Bool {
        var words = command.lowercased().split(separator: " ")[...]
        if words.first == "sudo" { words = words.dropFirst() }
        if words.first == "route" { return ["add", "del", "delete"].contains(words.dropFirst().first ?? "") }
        guard words.first == "ip" else { return false }
        words = words.dropFirst().drop { $0.hasPrefix("-") }
        guard let object = words.first, "route".hasPrefix(object), object.count >= 1, object != "" else { return false }
        return ["add", "a", "del", "delete", "d", "replace", "change", "flush"].contains(words.dropFirst().first ?? "")
    }
}

/// How well the reader's facts match a key: per kind, the matched, expected and emitted counts.
struct Score {
    struct Counts {
        var matched = 0, expected = 0, emitted = 0, sameHost = 0
        var recall: Double { expected == 0 ? 1 : Double(matched) / Double(expected) }
        var precision: Double { emitted == 0 ? 1 : Double(matched) / Double(emitted) }

        static func += (lhs: inout Counts, rhs: Counts) {
            lhs.matched += rhs.matched; lhs.expected += rhs.expected
            lhs.emitted += rhs.emitted; lhs.sameHost += rhs.sameHost
        }
    }

    var kinds: [Facts.Kind: Counts] = [:]
    /// Command steps whose command is not one the reader types: pasted output, prose, comments.
    var notCommands = 0
    var steps = 0
    /// Facts of the key the reader missed, and facts it emitted that the key does not have.
    var missed: [Facts.Fact] = [], invented: [Facts.Fact] = []
    /// Facts found on another host than the key's: the key's host, then the reader's.
    var otherHost: [(expected: String, fact: Facts.Fact)] = []

    init() {}

    init(expected: Facts, actual: Facts, steps: Int) {
        self.steps = steps
        for kind in Facts.Kind.allCases {
            let wanted = expected.facts.filter { $0.kind == kind }, got = actual.facts.filter { $0.kind == kind }
            var counts = Counts(expected: wanted.count, emitted: got.count)
            var open = wanted
            for fact in got {
                // The same host first, so that a host mix-up is scored as one.
                if let index = open.firstIndex(where: { Score.same($0, fact) && $0.host == fact.host })
                    ?? open.firstIndex(where: { Score.same($0, fact) })
                {
                    counts.matched += 1
                    if open[index].host == fact.host {
                        counts.sameHost += 1
                    } else {
                        otherHost.append((open[index].host, fact))
                    }
                    open.remove(at: index)
                } else {
                    invented.append(fact)
                }
            }
            missed += open
            kinds[kind] = counts
        }
        // A command step is a command when the key lists it under any kind (an S or R the reader
        // left plain is a missed type, not a non-command).
        let typed = Set(expected.facts.filter { $0.kind == .command || $0.kind == .plainRoute }.map(\.what))

        for fact in actual.facts where fact.kind == .command || fact.kind == .plainRoute {
            if typed.contains(fact.what) || typed.contains(Score.withoutComment(fact.what))
                || Score.looksLikeSetting(fact.what) || Score.looksLikeAddressOrIPVS(fact.what)
            {
                continue
            }
            notCommands += 1
        }
    }

    static func same(_ expected: Facts.Fact, _ actual: Facts.Fact) -> Bool {
        if expected.what == actual.what { return true }
        switch expected.kind {
        case .sysctl:
            // `?`: the document never says which file; any file the reader chose will do.
            guard expected.what.hasSuffix(" @?") else { return false }
            let setting = expected.what.dropLast(3)
            return actual.what.hasPrefix(setting + " @") && !actual.what.hasSuffix(" @-")
        case .command, .plainRoute:
            return withoutComment(actual.what) == expected.what
        default:
            return false
        }
    }

    /// A command without a trailing `# note` or `// note`, which keys leave out.
    static func withoutComment(_ command: String) -> String {
        var text = command
        for marker in [" #", " //"] {
            if let range = text.range(of: marker) { text = String(text[..<range.lowerBound]) }
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// Setting commands the reader left plain (`sysctl -w`, `echo 1 > /proc/sys/...`).
    static func looksLikeSetting(_ command: String) -> Bool {
        command.hasPrefix("sysctl") || command.hasPrefix("sudo sysctl") || command.contains("/proc/sys")
            || command.contains("sysctl.conf") || command.contains("sysctl.d")
    }

    /// Address and IPVS commands the reader left plain: a missed A or V, not a non-command.
    static func looksLikeAddressOrIPVS(_ command: String) -> Bool {
        let words = command.split(separator: " ").drop { $0 == "sudo" }
        return ["ipvsadm", "ifconfig", "ip"].contains(words.first ?? "")
    }

    static func += (lhs: inout Score, rhs: Score) {
        for (kind, counts) in rhs.kinds { lhs.kinds[kind, default: Counts()] += counts }
        lhs.notCommands += rhs.notCommands
        lhs.steps += rhs.steps
    }
}
