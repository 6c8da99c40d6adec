import RunbookCore

/// The view model of `shell.sh.mustache`: one function per host, a `verify_` function per host
/// for the documented expectations, every key, value and path quoted for sh by this side (the
/// template inserts them as they are), commands left exactly as documented. The property names
/// are the template's keys (Mustache reads them by reflection); a `nil` section is left out.
enum ShellExport {
    struct Script: ExportView {
        static let template = "shell.sh"

        /// The functions of address and IPVS steps only where there are such steps, so that a
        /// script without them stays as short as it was.
        var changeFunction, addressFunction, ipvsFunction: String?
        var checkFunctions: [String]
        var sysctlFunction = GuardedChanges.sysctlFunction
        var routeTableFunction = GuardedChanges.routeTableFunction
        var source: String
        var title: String?
        var script = "./setup.sh"
        var hostList, usageHosts: String
        var hosts: [Host]
    }

    struct Host {
        var name, function, argument, verifyArgument: String
        /// Step numbers and lines as ranges, `3-5` or `1, 4`.
        var steps, lines: String
        var items: [Item]
        var checks: [Check]
    }

    /// One step; exactly one of its sections is set.
    struct Item {
        var source: String
        var line: Int
        var sysctl: Sysctl?
        var route: Route?
        var guarded: Call?
        var check: Listing?
        var command: Command?
    }

    struct Sysctl { var key, value: String; var persist: String? = nil }
    struct Route { var action, destination, gateway, device: String }
    struct Call { var call: String }
    struct Listing { var text: String }
    struct Command { var text: String; var cwd: String? }

    /// What `verify_HOST` checks for one step; exactly one section is set.
    struct Check {
        struct Sysctl { var place, key, value: String }
        struct Address { var place, action, address, device: String }
        struct Routes { var place: String; var entries: [String] }
        struct Output { var place, command, expected: String }
        struct Unchecked { var place, command: String }

        var sysctl: Sysctl? = nil
        var address: Address? = nil
        var tableCheck: Call? = nil
        var routes: Routes? = nil
        var output: Output? = nil
        var unchecked: Unchecked? = nil
    }

    /// The function of steps that name no host.
    static let unassignedFunction = "steps"

    static func model(_ runbook: Runbook, host: String?) -> Script {
        let groups = runbook.stepsByHost(only: host)
        let steps = runbook.steps.filter { host == nil || $0.host == host }
        let hostList = groups.map { $0.host ?? unassignedFunction }.joined(separator: " ")
        let hosts = groups.map { name, mine in
            Host(
                name: ExportText.comment(name ?? PlanRenderer.unassigned),
                function: function(for: name),
                argument: ShellQuote.quote(name ?? unassignedFunction),
                verifyArgument: ShellQuote.quote("verify_" + (name ?? unassignedFunction)),
                steps: range(mine.map(\.index)),
                lines: range(mine.map(\.line)),
                items: mine.map { item($0, file: runbook.file) },
                checks: mine.compactMap { check($0, file: runbook.file) })
        }
        let kinds = Set(steps.map(\.kind))
        return Script(
            changeFunction: kinds.contains(.address) || kinds.contains(.ipvs) ? GuardedChanges.changeFunction : nil,
            addressFunction: kinds.contains(.address) ? GuardedChanges.addressFunction : nil,
            ipvsFunction: kinds.contains(.ipvs) ? GuardedChanges.ipvsFunction : nil,
            checkFunctions: checkFunctions(steps),
            source: ExportText.comment(runbook.file),
            title: runbook.title.map(ExportText.comment),
            hostList: ExportText.comment(hostList),
            usageHosts: ShellQuote.quote(hostList),
            hosts: hosts)
    }

    /// The shell function of a host's steps: `host_` and the name with every byte other than
    /// a letter or digit written `_XX` (hex), so that no two hosts share a function (`web-1`,
    /// `web_1`) and no host name becomes a command or keyword of the script (`cat`, `if`).
    static func function(for host: String?) -> String {
        guard let host else { return unassignedFunction }
        var name = "host_"
        for byte in host.utf8 {
            if Bytes.isAlphanumeric(byte) {
                name.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                name += "_" + String(byte, radix: 16, uppercase: false).leftPadded(to: 2)
            }
        }
        return name
    }

    private static func item(_ step: Step, file: String) -> Item {
        var item = Item(source: ExportText.comment(file), line: step.line)
        switch step.action {
        case .sysctl(let setting):
            item.sysctl = Sysctl(
                key: ShellQuote.quote(setting.key), value: ShellQuote.quote(setting.value),
                persist: setting.persist.map(ShellQuote.quote))
        case .route(let change):
            item.route = Route(
                action: change.action.rawValue, destination: ShellQuote.quote(change.destination),
                gateway: ShellQuote.quote(change.gateway ?? ""), device: ShellQuote.quote(change.device ?? ""))
        case .address(let change):
            item.guarded = Call(call: GuardedChanges.call(change))
        case .ipvs(let rule):
            item.guarded = Call(call: GuardedChanges.call(rule))
        case .command(let command) where command.expect?.isKernelTable == true:
            // A listing of a typed table is a check: verify_HOST compares it, as exec does.
            item.check = Listing(text: ExportText.comment(command.text))
        case .command(let command):
            item.command = Command(text: command.text, cwd: step.cwd.map(ShellQuote.path))
        }
        return item
    }

    /// What `verify_HOST` checks for a step: the sysctl values set, and documented end states;
    /// a table the prose presents as a possible starting state is not one.
    private static func check(_ step: Step, file: String) -> Check? {
        let place = ShellQuote.quote(ExportText.comment("\(file):\(step.line)"))
        if case .sysctl(let setting) = step.action {
            return Check(
                sysctl: .init(place: place, key: ShellQuote.quote(setting.key), value: ShellQuote.quote(setting.value)))
        }
        if case .address(let change) = step.action, let address = change.address {
            return Check(
                address: .init(
                    place: place, action: change.action.rawValue, address: ShellQuote.quote(address),
                    device: ShellQuote.quote(change.device)))
        }
        guard case .command(let command) = step.action, let expect = command.expect, !expect.isPrecondition else {
            return nil
        }
        if let check = GuardedChanges.check(expect, place: ExportText.comment("\(file):\(step.line)")) {
            return Check(tableCheck: Call(call: check.call))
        }
        if let routes = expect.routes {
            let entries = routes.map { ShellQuote.quote("\($0.destination) \($0.gateway ?? "-") \($0.device ?? "-")") }
            return Check(routes: .init(place: place, entries: entries))
        }
        // Verify re-runs what audit would, and no other command: the rest may change state
        // (`iptables -A`) or never end (`ping`).
        guard ReadOnlyCommands.contains(command.text) else {
            return Check(unchecked: .init(place: place, command: ShellQuote.quote(command.text)))
        }
        return Check(
            output: .init(
                place: place, command: ShellQuote.quote(command.text), expected: ShellQuote.quote(expect.output)))
    }

    /// `3-5` for consecutive numbers, `1, 4` otherwise.
    private static func range(_ numbers: [Int]) -> String {
        guard let first = numbers.first, let last = numbers.last else { return "" }
        return numbers == Array(first...last)
            ? (first == last ? "\(first)" : "\(first)-\(last)") : numbers.map(String.init).joined(separator: ", ")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

/// The check functions of the typed tables the steps document, each once.
private func checkFunctions(_ steps: [Step]) -> [String] {
    var functions: [String] = []
    for step in steps {
        guard case .command(let command) = step.action, let expect = command.expect,
            let check = GuardedChanges.check(expect, place: ""), !functions.contains(check.function)
        else { continue }
        functions.append(check.function)
    }
    return functions
}
