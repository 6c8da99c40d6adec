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
                isPartial: routes != nil && RouteTable.elidesRows(output),
                outputLines: outputLine > 0 ? outputLine..<outputLine + output.count : nil
            )
        }
        append(.command(Command(text: text, expect: expect, isComplete: isComplete)), line: line, prompt: prompt)
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
