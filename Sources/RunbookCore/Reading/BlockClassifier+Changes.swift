/// Route, address and IPVS changes, alone or as a `;`/`&&` list: a typed step each, or the
/// command as written where the change is made in another namespace.
extension BlockClassifier {
    /// `A; B` or `A && B` where every part is a route, address or IPVS change: the typed
    /// changes, in order (each stops the run when it fails, as `&&` would). Nil for anything
    /// else, a single command included.
    static func changeList(_ shell: ShellWords) -> [TypedChange]? {
        // Most commands are one command: nothing to split, nothing to allocate.
        guard shell.tokens.contains(where: { if case .op(let op) = $0 { op == ";" || op == "&&" } else { false } })
        else { return nil }
        var parts: [[String]] = [[]]
        for token in shell.tokens {
            switch token {
            case .word(let word):
                guard word.isLiteral else { return nil }
                parts[parts.count - 1].append(word.text)
            case .op(let op) where op == ";" || op == "&&":
                parts.append([])
            default:
                return nil
            }
        }
        guard parts.count > 1 else { return nil }
        var changes: [TypedChange] = []
        for words in parts where !words.isEmpty {
            let text = words.map(ShellQuote.word).joined(separator: " ")
            let shell = ShellWords(text)
            if let change = RouteChange.recognize(text, shell: shell) {
                changes.append(.route(change))
            } else if let change = AddressChange.recognize(text, shell: shell) {
                changes.append(.address(change))
            } else if let rule = IPVSRule.recognize(text, shell: shell) {
                changes.append(.ipvs(rule))
            } else {
                return nil
            }
        }
        return changes
    }

    enum TypedChange {
        case route(RouteChange), address(AddressChange), ipvs(IPVSRule)
    }

    mutating func appendChange(_ change: TypedChange, line: Int, prompt: Prompt?) {
        switch change {
        case .route(let route):
            appendChange(.route(route), namespace: route.namespace, text: route.command, line: line, prompt: prompt)
        case .address(let address):
            appendChange(
                .address(address), namespace: address.namespace, text: address.command, line: line, prompt: prompt)
        case .ipvs(let rule): append(.ipvs(rule), line: line, prompt: prompt)
        }
    }

    /// A change to the target's own tables is a typed step; one made in another namespace is
    /// typed for reading and run as written.
    mutating func appendChange(
        _ change: NamespacedChangeBox.Change, namespace: String?, text: String, line: Int, prompt: Prompt?
    ) {
        guard namespace != nil else {
            switch change {
            case .route(let route): append(.route(route), line: line, prompt: prompt)
            case .address(let address): append(.address(address), line: line, prompt: prompt)
            }
            return
        }
        append(
            .command(Command(text: text, expect: nil, namespacedBox: NamespacedChangeBox(change))), line: line,
            prompt: prompt)
    }
}
