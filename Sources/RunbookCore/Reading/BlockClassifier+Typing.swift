/// Typing one command: a sysctl setting, a route change, or a plain command with its output.
extension BlockClassifier {
    mutating func add(
        _ command: LogicalCommand, line: Int, prompt: Prompt?, output: ArraySlice<Substring>, outputLine: Int = 0
    ) {
        var text = command.text.trimmingSpacesString
        // `sudo ifup eth0 ```: the closing fence glued to the last command is not part of it
        // (to CommonMark it is text, so the block runs on).
        if text.utf8.last == UInt8(ascii: "`"), text.utf8.suffix(4).elementsEqual(" ```".utf8),
            text.utf8.firstIndex(of: 0x0A) == nil
        {
            text = String(text.dropLast(4)).trimmingSpacesString
            warn(
                line,
                "a code fence is glued to the end of this command; it is left out, and the block is not closed there")
        }
        guard !text.isEmpty else { return }
        // Commands a shell would never finish reading, or after which the shell that runs the
        // later steps is gone: found here, so that exec does not wait out its timeout on them.
        var isComplete = command.unterminatedHeredoc == nil
        if let delimiter = command.unterminatedHeredoc {
            warn(line, "heredoc <<\(delimiter) is never terminated; it runs to the end of the block")
        }
        if command.shell.isQuoteOpen {
            isComplete = false
            warn(line, "a quote in this command is never closed; a shell would wait for the rest, so it is not run")
        }
        let program = command.shell.program
        if program == "exec" {
            isComplete = false
            warn(
                line,
                "'exec' replaces or redirects the shell that runs every later step (runbook would never see their output); it is not run"
            )
        }
        // `net.ipv4.ip_forward = 1` where a command was expected: a sysctl key has a dot.
        if let program, program.utf8.count > 4, program.utf8.contains(UInt8(ascii: ".")),
            command.shell.tokens.count <= 8,
            !CommandNames.looksLikeCommandLine(command.text[...]),
            configLineAmongCommands(command.text[...], line: line, prompt: prompt)
        {
            return
        }
        // `sudo sh -c 'cat << EOF >> /etc/sysctl.conf ... EOF'`: the script in the quotes is
        // the command, and runs as written.
        if program == "sh" || program == "bash", let inner = Self.script(ofShellC: command.shell) {
            let lines = Bytes.lines(inner)
            if let first = lines.first {
                let innerCommand = LogicalCommand.readCompound(first: first, lines: lines, from: 1, transcript: false)
                if innerCommand.next == lines.count, SysctlSetting.heredocTarget(innerCommand.shell) != nil {
                    add(innerCommand, line: line, prompt: prompt, output: [])
                    return
                }
            }
        }
        if command.isCompound {
            append(.command(Command(text: text, expect: nil, isComplete: isComplete)), line: line, prompt: prompt)
            return
        }
        if let file = SysctlSetting.heredocTarget(command.shell), let body = command.heredocBodies.first {
            for (offset, bodyLine) in body.enumerated() {
                guard let (key, value) = SysctlSetting.configLine(bodyLine) else { continue }
                switch SysctlKey.canonical(key) {
                case .success(let canonical):
                    appendSetting(canonical, value, persist: file, line: line + 1 + offset, prompt: prompt)
                case .failure(let problem):
                    error(line + 1 + offset, "\(problem) (in a heredoc written to \(file))")
                }
            }
            return
        }
        if program == "ipvsadm-restore" || program == "ipvsadm", IPVSRule.isRestore(command.shell),
            let body = command.heredocBodies.first, let rules = IPVSRule.restoreRules(body)
        {
            for (offset, rule) in rules { append(.ipvs(rule), line: line + 1 + offset, prompt: prompt) }
            return
        }
        if program == "sysctl", !unfiledSettings.isEmpty { fileUnfiledSettings(text) }
        if let typed = typedWithVariables(text) {
            for action in typed.actions {
                if case .sysctl(let setting) = action, let problem = SysctlKey.shapeProblem(setting.key) {
                    warn(line, problem)
                }
                append(action, line: line, prompt: prompt)
                steps[steps.count - 1].variables = typed.names
            }
            return
        }
        switch SysctlSetting.recognize(text, shell: command.shell) {
        case .settings(var settings):
            // Moved out (popLast moves an element out of an array; removeFirst copies it, and
            // a copy retains every string of the setting).
            settings.reverse()
            while let setting = settings.popLast() {
                if let problem = SysctlKey.shapeProblem(setting.key) { warn(line, problem) }
                append(.sysctl(setting), line: line, prompt: prompt)
            }
            return
        case .untyped(let reason):
            warn(line, "\(reason); kept as a plain command")
        case .invalid(let reason):
            error(line, reason)
            return
        case .none:
            break
        }
        if let program, SysctlSetting.isEditor(program), let file = SysctlSetting.editedFile(command.shell) {
            editedConfigFile = file
            append(.command(Command(text: text, expect: nil, isComplete: isComplete)), line: line, prompt: prompt)
            // In a transcript, what follows an editor is what was typed into the file.
            _ = typedConfigLines(output, firstLine: outputLine, file: file, prompt: prompt)
            return
        }
        if program == "ip" || program == "route" || program == "ifconfig" || program == "ipvsadm",
            let parts = Self.changeList(command.shell)
        {
            // `ifconfig lo:1 down; ifconfig lo:1 VIP netmask ...`: each change a step of its own.
            for part in parts { appendChange(part, line: line, prompt: prompt) }
            return
        }
        if program == "ip" || program == "route" || program == "ifconfig" {
            if let change = RouteChange.recognize(text, shell: command.shell) {
                appendChange(.route(change), namespace: change.namespace, text: text, line: line, prompt: prompt)
                return
            }
            if let change = AddressChange.recognize(text, shell: command.shell) {
                appendChange(.address(change), namespace: change.namespace, text: text, line: line, prompt: prompt)
                return
            }
        }
        if program == "ipvsadm", let rule = IPVSRule.recognize(text, shell: command.shell) {
            append(.ipvs(rule), line: line, prompt: prompt)
            return
        }
        // `ipvsadm -a ... -g -w 1 //-g 表示DR模式`: `//` starts no comment in a shell, and
        // ipvsadm would be handed the note; the rule is what the author meant, said once.
        if program == "ipvsadm", let range = text.range(of: " //") {
            let meant = String(text[..<range.lowerBound])
            if let rule = IPVSRule.recognize(meant, shell: ShellWords(meant)) {
                warn(
                    line,
                    "'\(text[range.upperBound...].prefix(40))' is not a shell comment: ipvsadm would be given it as arguments; the rule is read without it"
                )
                append(.ipvs(rule), line: line, prompt: prompt)
                return
            }
        }
        var expect: Expectation? = nil
        if !output.isEmpty {
            let documented = Bytes.joined(output)
            let routes = RouteTable.format(ofCommand: command.shell).flatMap {
                RouteTable.parse(lines: output, format: $0)
            }
            let addresses =
                program == "ip" || program == "ifconfig"
                ? AddressTable.format(ofCommand: command.shell).flatMap {
                    AddressTable.parse(lines: output, format: $0)
                }
                : nil
            expect = Expectation(
                output: documented, routes: routes,
                ipvs: program == "ipvsadm" && IPVSTable.isListing(command.shell) ? IPVSTable.parse(lines: output) : nil,
                addresses: addresses, isPrecondition: precondition,
                isPartial: routes != nil && RouteTable.elidesRows(output))
        }
        append(.command(Command(text: text, expect: expect, isComplete: isComplete)), line: line, prompt: prompt)
    }

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

    enum TypedChange {
        case route(RouteChange), address(AddressChange), ipvs(IPVSRule)
    }

    private mutating func appendChange(_ change: TypedChange, line: Int, prompt: Prompt?) {
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
    private mutating func appendChange(
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

    /// A `key = value` line of a sysctl file. procps has no inline comments: `v  # note` is
    /// the value `v  # note`, which the kernel refuses, so the setting takes the value the
    /// author meant and the line is reported as invalid as written.
    mutating func appendSetting(_ key: String, _ value: Substring, persist: String?, line: Int, prompt: Prompt?) {
        var value = value
        if let hash = value.firstOffset(of: UInt8(ascii: "#")), hash > 0,
            Bytes.isBlank(value.utf8[value.utf8.index(value.utf8.startIndex, offsetBy: hash - 1)])
        {
            value = value.bytes(0..<hash).trimmingSpaces
            warn(
                line,
                "'\(key)' has a comment after its value; procps reads no inline comments and would refuse this line as written (the value is taken as \(value))"
            )
        }
        if persist == nil {
            unfiledSettings.append(steps.count)
            fileLinesWithoutFile.append(steps.count)
        }
        append(
            .sysctl(SysctlSetting(key: key, value: String(value), persist: persist, command: nil)), line: line,
            prompt: prompt)
    }

    /// `sysctl -p [FILE]`: the settings shown before it without a file were that file's.
    mutating func fileUnfiledSettings(_ command: String) {
        guard !unfiledSettings.isEmpty, let file = SysctlSetting.loadedFile(command) else { return }
        for index in unfiledSettings {
            guard case .sysctl(var setting) = steps[index].action else { continue }
            setting.persist = file
            steps[index].action = .sysctl(setting)
        }
        unfiledSettings.removeAll()
    }

    /// A line that is a sysctl setting where a command was expected (`$ net.ipv4.ip_forward = 1`
    /// in a transcript, a config line among commands): the setting, in the file the prose
    /// names, or in the one a later `sysctl -p` loads.
    mutating func configLineAmongCommands(_ text: Substring, line: Int, prompt: Prompt?) -> Bool {
        guard let (key, value) = SysctlSetting.configLine(text), !value.isEmpty,
            case .success(let canonical) = SysctlKey.canonical(key)
        else { return false }
        appendSetting(canonical, value, persist: persistHint, line: line, prompt: prompt)
        return true
    }

    mutating func append(_ action: consuming Step.Action, line: Int, prompt: Prompt?) {
        steps.append(
            Step(
                index: 0, line: line, section: nil, host: prompt?.host, cwd: prompt?.cwd, user: prompt?.user,
                action: action))
    }

    mutating func warn(_ line: Int, _ message: String) {
        diagnostics.append(.warning(file, line, message))
    }

    mutating func error(_ line: Int, _ message: String) {
        diagnostics.append(.error(file, line, message))
    }

    /// The script of `[sudo] sh|bash -c 'SCRIPT'`, when it is literal.
    static func script(ofShellC shell: ShellWords) -> String? {
        var words: [ShellWords.Word] = []
        for token in shell.tokens {
            guard case .word(let word) = token else { return nil }
            words.append(word)
        }
        if words.first?.text == "sudo" { words.removeFirst() }
        guard words.count == 3, words[1].text == "-c", words[2].isLiteral else { return nil }
        return words[2].text
    }
}
