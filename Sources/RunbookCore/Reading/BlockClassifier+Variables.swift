/// Steps typed with the variables known when the runbook is read (front matter `vars:`,
/// `--set`): `sysctl -w net.ipv4.ip_forward=$FWD` is a sysctl step with its value.
extension BlockClassifier {
    /// The typed steps of a command that reads variables known before it runs (`sysctl -w
    /// net.ipv4.ip_forward=$FWD`), read as a shell would run it, with the names it read. Nil
    /// when it stays a command: a variable is unknown, or the result is not a change to the
    /// target's own state (a namespaced change runs as written). The documented text is kept
    /// as the step's command.
    func typedWithVariables(_ text: String) -> (actions: [Step.Action], names: [String])? {
        guard !variables.isEmpty, let (resolved, names) = Self.resolving(text, with: variables) else { return nil }
        let shell = ShellWords(resolved)
        if case .settings(let settings) = SysctlSetting.recognize(text, shell: shell) {
            return (settings.map(Step.Action.sysctl), names)
        }
        let program = shell.program
        var changes: [TypedChange] = []
        if program == "ip" || program == "route" || program == "ifconfig" || program == "ipvsadm",
            let parts = Self.changeList(shell)
        {
            changes = parts
        } else if program == "ip" || program == "route" || program == "ifconfig" {
            if let change = RouteChange.recognize(text, shell: shell) {
                changes = [.route(change)]
            } else if let change = AddressChange.recognize(text, shell: shell) {
                changes = [.address(change)]
            }
        } else if program == "ipvsadm", let rule = IPVSRule.recognize(text, shell: shell) {
            changes = [.ipvs(rule)]
        }
        var actions: [Step.Action] = []
        for change in changes {
            switch change {
            case .route(let route) where route.namespace == nil: actions.append(.route(route))
            case .address(let address) where address.namespace == nil: actions.append(.address(address))
            case .ipvs(let rule): actions.append(.ipvs(rule))
            default: return nil
            }
        }
        return actions.isEmpty ? nil : (actions, names)
    }

    /// The command with the variables it reads put in, and their names. Nil when one is not
    /// in `values`, is read with more than its value (`${NAME:-x}`), or has a value that a
    /// shell would take as plain text but put in the command would read as syntax (quotes,
    /// expansions, operators, globs, line ends).
    static func resolving(_ text: String, with values: [String: String]) -> (text: String, names: [String])? {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return nil }
        let references = RunbookLint.variableReferences(in: text)
        guard !references.isEmpty else { return nil }
        let bytes = Array(text.utf8)
        var resolved: [UInt8] = []
        var names: [String] = []
        var copied = 0
        for reference in references {
            guard reference.isPlain, let value = values[reference.name],
                value.utf8.allSatisfy({ !syntaxBytes.contains($0) })
            else { return nil }
            resolved += bytes[copied..<reference.range.lowerBound]
            resolved += value.utf8
            copied = reference.range.upperBound
            if !names.contains(reference.name) { names.append(reference.name) }
        }
        resolved += bytes[copied...]
        return (String(decoding: resolved, as: UTF8.self), names)
    }

    private static let syntaxBytes = Set("\"'\\`$;&|<>()*?[]{}#~!\n\r".utf8)
}
