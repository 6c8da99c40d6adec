/// Turns code blocks into steps, by the recognition rules of the README: a sysctl config
/// block, else a transcript (prompt lines), else a script, else nothing.
///
/// Steps are appended to one array for all the blocks of a document, with no array per block
/// and no intermediate form (a large runbook has a hundred thousand steps); their index,
/// section and inherited host are the caller's to set, since they depend on what is around
/// the block.
package struct BlockClassifier {
    package let file: String
    package var steps: [Step] = []
    package var diagnostics: [Diagnostic] = []
    /// The paragraph before the current block presents its output as a possible starting state.
    private var precondition = false
    /// The sysctl file the prose around the current block names, for its `key = value` lines.
    private var persistHint: String?
    /// The sysctl file the last block opened in an editor (`vi /etc/sysctl.conf`): the settings
    /// shown after it, in this block or the next, are lines typed into it.
    package var editedConfigFile: String?
    /// The sysctl file a comment of the last block named (`# 永久生效: /etc/sysctl.conf`).
    package var mentionedConfigFile: String?
    /// Settings of the current section written as file lines with no file named: the
    /// `sysctl -p [FILE]` that loads them says which file they were meant for.
    package var unfiledSettings: [Int] = []

    package init(file: String) {
        self.file = file
    }

    /// Appends the steps of one block and returns their positions in `steps`. `persistHint`
    /// is the sysctl config file the paragraph before the block names.
    package mutating func classify(_ block: Document.CodeBlock, persistHint: String?, precondition: Bool) -> Range<Int>
    {
        let first = steps.count
        self.precondition = precondition
        self.persistHint = persistHint
        classify(block, persistHint: persistHint, from: first)
        return first..<steps.count
    }

    /// Languages whose `# ` lines are comments, so never a bare root prompt.
    package static let shellLanguages: Set<Substring> = ["sh", "bash", "shell", "zsh"]
    /// Languages a transcript may be written in.
    package static let transcriptLanguages: Set<Substring> = shellLanguages.union(
        [
            "", "console", "shell-session", "sh-session", "session", "terminal", "text", "txt", "plain", "plaintext",
            "output",
        ])
    /// Languages a prompt-less block is read as a script in (rule 2), besides command-only
    /// unlabelled blocks.
    package static let scriptLanguages: Set<Substring> = shellLanguages.union(["console"])
    /// Languages a block of `key = value` lines may be a sysctl config in.
    package static let configLanguages: Set<Substring> = transcriptLanguages.union([
        "conf", "config", "cfg", "ini", "sysctl", "properties",
    ])

    /// The kinds of block a language allows, found with one lookup per block.
    private struct LanguageTraits: OptionSet {
        package let rawValue: UInt8
        package static let config = LanguageTraits(rawValue: 1)
        package static let transcript = LanguageTraits(rawValue: 2)
        package static let script = LanguageTraits(rawValue: 4)
    }

    private static let languageTraits: [Substring: LanguageTraits] = {
        var traits: [Substring: LanguageTraits] = [:]
        for language in configLanguages { traits[language, default: []].insert(.config) }
        for language in transcriptLanguages { traits[language, default: []].insert(.transcript) }
        for language in scriptLanguages { traits[language, default: []].insert(.script) }
        return traits
    }()

    private mutating func classify(_ block: Document.CodeBlock, persistHint: String?, from first: Int) {
        // Most blocks have no attributes at all.
        let attributes: BlockAttributes?
        if block.info.utf8.contains(UInt8(ascii: "{")) {
            let (parsed, unknown) = BlockAttributes.parse(info: block.info)
            for name in unknown {
                warn(
                    block.line,
                    "unknown block attribute '\(name)' ignored; known: \(BlockAttributes.keys.joined(separator: ", "))")
            }
            attributes = parsed
        } else {
            attributes = nil
        }
        if block.isFenced && !block.isClosed {
            warn(block.line, "code fence opened here is never closed; the block runs to the end of its container")
        }
        if attributes?.skip == true { return }
        let language = block.language
        let traits = Self.languageTraits[language] ?? []
        let lines = Bytes.lines(block.literal)
        if traits.contains(.config), configBlock(lines, block: block, persist: persistHint) {
        } else if Self.isFileContent(lines) {
            // A script to save (`#!/bin/bash` first) or a file of assignments (ifcfg-eth0,
            // subnet.env): what the reader writes into a file, not commands to type.
            if lines.first?.hasBytePrefix("#!") == true {
                warn(
                    block.line,
                    "block starts with '#!': it is a script's file, not steps; save it and run it as a step of its own")
            }
        } else if traits.contains(.transcript), transcript(lines, block: block, language: language) {
        } else if traits.isEmpty, !language.isEmpty,
            transcript(lines, block: block, language: language, namedPromptsOnly: true)
        {
            // `[root@rs1 ~]# echo 1 > ...` in a block labelled yaml or properties.
        } else if !traits.contains(.script), !Self.neverCommands.contains(language),
            Self.isCommands(lines, share: language.isEmpty ? 2 : 5)
        {
            // An unlabelled block, or one labelled as what it is not (```python around
            // `cat <<EOF > /etc/sysctl.d/k8s.conf`): commands by their first words.
            script(lines, block: block)
        } else if traits.contains(.script) {
            if Self.isMostlyCommands(lines) {
                script(lines, block: block)
            } else {
                warn(
                    block.line,
                    "'\(language)' block does not look like commands (a diagram or output?); it yields no steps. Label it ```text, or ```\(language) {skip}"
                )
            }
        }
        if steps.count == first, diagnostics.last.map({ $0.location.line < block.line }) ?? true,
            let line = Self.firstCommandLine(lines)
        {
            warn(
                block.contentLine + line,
                "this block yields no steps although '\(lines[line].trimmingSpaces.prefix(40))' reads as a command: too few of its lines do (label the block ```sh to run them, or ```text if it is output)"
            )
        }
        guard let attributes else { return }
        for index in first..<steps.count {
            if attributes.audit, case .command(var command) = steps[index].action {
                command.isAuditable = true
                steps[index].action = .command(command)
            }
            if let host = attributes.host { steps[index].host = host }
            if let user = attributes.user { steps[index].user = user }
            if let cwd = attributes.cwd { steps[index].cwd = cwd }
        }
    }

    // MARK: Rule 3: sysctl config blocks

    private mutating func configBlock(_ lines: [Substring], block: Document.CodeBlock, persist: String?) -> Bool {
        // Steps go straight into `steps` and are taken back if the block turns out not to be
        // a config block: building them aside would copy every setting once more.
        let first = steps.count
        var problems: [(Int, String)] = []
        for (offset, line) in lines.enumerated() {
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty || trimmed.utf8.first == UInt8(ascii: "#") || trimmed.utf8.first == UInt8(ascii: ";") {
                continue
            }
            guard let (key, value) = SysctlSetting.configLine(line) else {
                takeBack(from: first)
                return false
            }
            switch SysctlKey.canonical(key) {
            case .success(let canonical):
                appendSetting(canonical, value, persist: persist, line: block.contentLine + offset, prompt: nil)
            case .failure(.invalid(let reason)):
                problems.append((block.contentLine + offset, reason))
            case .failure(.notSysctl):
                takeBack(from: first)
                return false
            }
        }
        guard steps.count > first || !problems.isEmpty else { return false }
        for (line, reason) in problems { error(line, reason) }
        return true
    }

    private mutating func takeBack(from first: Int) {
        steps.removeSubrange(first...)
        unfiledSettings.removeAll { $0 >= first }
    }

    // MARK: Rule 1: transcripts

    /// The prompt that starts `line`, unless it is a bare `#` that reads as a comment.
    private static func prompt(_ line: Substring, language: Substring) -> Prompt? {
        var prompt = Prompt.match(line)
        // Looked at in place: binding the prompt to a constant would copy it.
        if prompt.map({ !isPrompt($0, language: language) }) == true { prompt = nil }
        return prompt
    }

    private static func isPrompt(_ prompt: Prompt, language: Substring) -> Bool {
        guard prompt.isBare else { return true }
        if let first = prompt.command.utf8.first, first >= 0x80 { return false }
        guard prompt.user == "root" else { return true }
        // `# check the value` is far more often a comment than a root prompt: only a known
        // command after a bare `#` makes it a prompt.
        return !shellLanguages.contains(language) && !prompt.command.isEmpty && !prompt.command.hasPrefix("#")
            && CommandNames.looksLikeCommandLine(prompt.command)
    }

    private mutating func transcript(
        _ lines: [Substring], block: Document.CodeBlock, language: Substring, namedPromptsOnly: Bool = false
    ) -> Bool {
        // Most blocks tried here have no prompt at all: find one before listing them.
        var first = 0
        var firstPrompt: Prompt? = nil
        while first < lines.count {
            firstPrompt = Self.prompt(lines[first], language: language)
            if firstPrompt != nil { break }
            first += 1
        }
        guard let isBare = firstPrompt?.isBare, !(namedPromptsOnly && isBare) else { return false }
        // Prompts are moved into and out of this array, never copied: a copy retains each of
        // their strings. Bare `#`/`$` lines are prompts only in blocks that start with one;
        // after a named prompt they are output (`cat /etc/sysctl.conf` prints `# comments`).
        var prompts = [Prompt?](repeating: nil, count: lines.count)
        prompts[first] = firstPrompt.take()
        for index in (first + 1)..<lines.count {
            var candidate = Self.prompt(lines[index], language: language)
            if !isBare, candidate?.isBare == true { candidate = nil }
            prompts[index] = candidate.take()
        }
        // Commands written without a prompt above the first prompt are still commands.
        if lines[..<first].allSatisfy(CommandNames.looksLikeCommandLine) {
            script(Array(lines[..<first]), block: block)
        }
        var index = first
        while index < lines.count {
            // Kept optional: `add` takes one, and wrapping a prompt in an optional copies it.
            let prompt = prompts[index].take()
            guard let typed = prompt?.command else {
                index += 1
                continue
            }
            let line = block.contentLine + index
            let command = LogicalCommand.read(first: typed, lines: lines, from: index + 1, transcript: true)
            index = command.next
            // Its output runs to the next prompt line.
            let start = index
            while index < lines.count, prompts[index] == nil { index += 1 }
            var output = lines[min(start, lines.count)..<index]
            while let last = output.last, last.trimmingSpaces.isEmpty { output.removeLast() }
            add(command, line: line, prompt: prompt, output: output, outputLine: block.contentLine + start)
        }
        return true
    }

    // MARK: Rule 2: scripts

    /// A script: every logical line that starts with a command is one. Lines that do not
    /// (output pasted after a command, notes) are not run: a routing table after the command
    /// that prints it is its documented output, anything else is reported once.
    private mutating func script(_ lines: [Substring], block: Document.CodeBlock) {
        var index = 0
        var notes = 0
        var firstNote = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingSpaces
            // `# /etc/sysctl.conf` or a bare `/etc/sysctl.conf` line labels the lines after it.
            if let first = trimmed.utf8.first, first == UInt8(ascii: "#") || first == UInt8(ascii: "/"),
                let file = SysctlSetting.configFile(inProse: String(trimmed)),
                first == UInt8(ascii: "#") || trimmed == file
            {
                persistHint = file
                mentionedConfigFile = file
                index += 1
                continue
            }
            if CommandNames.isSkippable(trimmed) {
                index += 1
                continue
            }
            guard CommandNames.looksLikeCommandLine(trimmed) else {
                let start = index
                while index < lines.count, !CommandNames.looksLikeCommandLine(lines[index].trimmingSpaces) {
                    index += 1
                }
                if documentTable(lines[start..<index]) { continue }
                let isOutput = previousCommandPrintsSettings()
                for offset in start..<index where !lines[offset].trimmingSpaces.isEmpty {
                    if !isOutput, configLineAmongCommands(lines[offset], line: block.contentLine + offset, prompt: nil)
                    {
                        continue
                    }
                    if notes == 0 { firstNote = offset }
                    notes += 1
                }
                continue
            }
            let line = block.contentLine + index
            let command = LogicalCommand.readCompound(
                first: lines[index], lines: lines, from: index + 1, transcript: false)
            index = command.next
            add(command, line: line, prompt: nil, output: [])
            if let program = command.shell.program, SysctlSetting.editors.contains(program),
                let file = SysctlSetting.editedFile(command.shell)
            {
                index = typedConfigLines(lines[index...], firstLine: block.contentLine + index, file: file, prompt: nil)
            }
        }
        if notes > 0 {
            warn(
                block.contentLine + firstNote,
                "\(notes) line\(notes == 1 ? "" : "s") of this block \(notes == 1 ? "is" : "are") not a command (output or a note?) and \(notes == 1 ? "is" : "are") not run"
            )
        }
    }

    /// Programs whose output is sysctl lines (`sysctl -a | grep`, `sysctl -p`, `cat
    /// /etc/sysctl.conf`): the settings after them are what they printed, not settings to make.
    private static let settingPrinters: Set<Substring> = [
        "sysctl", "cat", "grep", "tail", "head", "less", "more", "egrep",
    ]

    private func previousCommandPrintsSettings() -> Bool {
        guard let last = steps.last, case .command(let command) = last.action else { return false }
        var words = command.text.split(separator: " ", maxSplits: 2)[...]
        if words.first == "sudo" { words = words.dropFirst() }
        return words.first.map { Self.settingPrinters.contains($0) || $0.hasSuffix("/sysctl") } ?? false
    }

    /// Makes `lines` the documented output of the step before them when that step prints a
    /// routing table, has no output yet and the lines read as one.
    private mutating func documentTable(_ lines: ArraySlice<Substring>) -> Bool {
        guard let last = steps.indices.last, case .command(var command) = steps[last].action, command.expect == nil,
            let format = RouteTable.format(ofCommand: ShellWords(command.text))
        else { return false }
        var output = lines
        while let line = output.last, line.trimmingSpaces.isEmpty { output.removeLast() }
        guard let routes = RouteTable.parse(lines: output, format: format) else { return false }
        command.expect = Expectation(
            output: Bytes.joined(output), routes: routes, isPrecondition: precondition,
            isPartial: RouteTable.elidesRows(output))
        steps[last].action = .command(command)
        return true
    }

    /// The first line that starts with a program and an argument, or with a named prompt.
    private static func firstCommandLine(_ lines: [Substring]) -> Int? {
        lines.firstIndex { line in
            let trimmed = line.trimmingSpaces
            if let prompt = Prompt.match(trimmed) {
                if !prompt.isBare || CommandNames.looksLikeCommandLine(prompt.command) && !prompt.command.isEmpty {
                    return true
                }
            }
            // An assignment first (`RIP1=192.168.1.2  RIP2=...` in a diagram) is no evidence.
            guard !CommandNames.isSkippable(trimmed), let space = trimmed.firstOffset(of: 0x20), space > 0,
                trimmed.bytes(0..<space).firstOffset(of: UInt8(ascii: "=")) == nil
            else { return false }
            return CommandNames.looksLikeCommandLine(trimmed)
        }
    }

    /// A script file (`#!` on its first line) or a file of bare `NAME=value` assignments.
    private static func isFileContent(_ lines: [Substring]) -> Bool {
        guard let first = lines.first else { return false }
        if first.hasBytePrefix("#!") { return true }
        var assignments = 0
        for line in lines {
            let trimmed = line.trimmingSpaces
            if CommandNames.isSkippable(trimmed) { continue }
            guard CommandNames.isBareAssignment(trimmed) else { return false }
            assignments += 1
        }
        return assignments > 1
    }

    /// Languages whose blocks are never shell commands, whatever their lines start with.
    private static let neverCommands: Set<Substring> = [
        "json", "xml", "html", "css", "sql", "diff", "patch", "nginx", "apache", "yaml", "yml", "toml", "ini", "go",
        "c", "cpp", "java", "javascript", "js", "typescript", "ts", "rust", "swift", "php", "ruby", "lua", "dockerfile",
        "makefile", "mermaid", "dot", "graphviz", "properties", "conf", "config", "cfg", "sysctl", "csv", "tex",
    ]

    /// Whether at least 1/`share` of the block's logical lines start with a command or are
    /// sysctl settings (heredoc bodies and continuations belong to their command).
    private static func isCommands(_ lines: [Substring], share: Int) -> Bool {
        var index = 0
        var logical = 0, commands = 0, settings = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingSpaces
            if CommandNames.isSkippable(trimmed) {
                index += 1
                continue
            }
            logical += 1
            guard CommandNames.looksLikeCommandLine(trimmed) else {
                // Settings among the commands (typed into a file the block opened, or to be
                // put in one) count with them; anything else before a command ends it.
                if let (key, _) = SysctlSetting.configLine(trimmed), case .success = SysctlKey.canonical(key) {
                    settings += 1
                } else if commands == 0 {
                    return false
                }
                index += 1
                continue
            }
            commands += 1
            index =
                LogicalCommand.readCompound(first: lines[index], lines: lines, from: index + 1, transcript: false).next
        }
        return commands > 0 && (commands + settings) * share >= logical * (share - 1)
    }

    /// The lines typed into a sysctl file after the command that opened it in an editor: each
    /// `key = value` line is a setting persisted there. Returns where they end.
    private mutating func typedConfigLines(
        _ lines: ArraySlice<Substring>, firstLine: Int, file: String, prompt: Prompt?
    ) -> Int {
        var index = lines.startIndex
        while index < lines.endIndex {
            let trimmed = lines[index].trimmingSpaces
            if trimmed.isEmpty || trimmed.utf8.first == UInt8(ascii: "#") || trimmed.utf8.first == UInt8(ascii: ";") {
                index += 1
                continue
            }
            // `...`: the author left the rest of the file out.
            if trimmed == "..." || trimmed == "…" {
                index += 1
                continue
            }
            guard let (key, value) = SysctlSetting.configLine(lines[index]),
                case .success(let canonical) = SysctlKey.canonical(key)
            else {
                // A note between the settings ("在文件末尾添加：", "add at the end:") is not
                // the end of the file's lines; a command is.
                if CommandNames.looksLikeCommandLine(trimmed) || SysctlSetting.configLine(lines[index]) != nil { break }
                index += 1
                continue
            }
            appendSetting(canonical, value, persist: file, line: firstLine + index - lines.startIndex, prompt: prompt)
            index += 1
        }
        return index
    }

    /// A block labelled as shell that is mostly not commands (an ASCII diagram, a list of
    /// options) is not run: at least half of its lines must look like commands.
    private static func isMostlyCommands(_ lines: [Substring]) -> Bool {
        var candidates = 0
        var commands = 0
        for line in lines where !CommandNames.isSkippable(line.trimmingSpaces) {
            candidates += 1
            if CommandNames.isProgramShaped(line) { commands += 1 }
        }
        return commands * 2 >= candidates
    }

    // MARK: Typing one command

    private mutating func add(
        _ command: LogicalCommand, line: Int, prompt: Prompt?, output: ArraySlice<Substring>, outputLine: Int = 0
    ) {
        let text = command.text.trimmingSpacesString
        guard !text.isEmpty else { return }
        let isComplete = command.unterminatedHeredoc == nil
        if let delimiter = command.unterminatedHeredoc {
            warn(line, "heredoc <<\(delimiter) is never terminated; it runs to the end of the block")
        }
        let program = command.shell.program
        // `net.ipv4.ip_forward = 1` where a command was expected: a sysctl key has a dot.
        if let program, program.utf8.count > 4, program.utf8.contains(UInt8(ascii: ".")),
            command.shell.tokens.count <= 8,
            !CommandNames.looksLikeCommandLine(command.text[...]),
            configLineAmongCommands(command.text[...], line: line, prompt: prompt)
        {
            return
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
        if program == "sysctl", !unfiledSettings.isEmpty { fileUnfiledSettings(text) }
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
        if let program, SysctlSetting.editors.contains(program), let file = SysctlSetting.editedFile(command.shell) {
            editedConfigFile = file
            append(.command(Command(text: text, expect: nil, isComplete: isComplete)), line: line, prompt: prompt)
            // In a transcript, what follows an editor is what was typed into the file.
            _ = typedConfigLines(output, firstLine: outputLine, file: file, prompt: prompt)
            return
        }
        if let change = RouteChange.recognize(text, shell: command.shell) {
            if change.namespace != nil {
                append(.command(Command(text: text, expect: nil, namespacedRoute: change)), line: line, prompt: prompt)
            } else {
                append(.route(change), line: line, prompt: prompt)
            }
            return
        }
        var expect: Expectation? = nil
        if !output.isEmpty {
            let documented = Bytes.joined(output)
            let routes = RouteTable.format(ofCommand: command.shell).flatMap {
                RouteTable.parse(lines: output, format: $0)
            }
            expect = Expectation(
                output: documented, routes: routes, isPrecondition: precondition,
                isPartial: routes != nil && RouteTable.elidesRows(output))
        }
        append(.command(Command(text: text, expect: expect, isComplete: isComplete)), line: line, prompt: prompt)
    }

    /// A `key = value` line of a sysctl file. procps has no inline comments: `v  # note` is
    /// the value `v  # note`, which the kernel refuses, so the setting takes the value the
    /// author meant and the line is reported as invalid as written.
    private mutating func appendSetting(_ key: String, _ value: Substring, persist: String?, line: Int, prompt: Prompt?)
    {
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
        if persist == nil { unfiledSettings.append(steps.count) }
        append(
            .sysctl(SysctlSetting(key: key, value: String(value), persist: persist, command: nil)), line: line,
            prompt: prompt)
    }

    /// `sysctl -p [FILE]`: the settings shown before it without a file were that file's.
    private mutating func fileUnfiledSettings(_ command: String) {
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
    private mutating func configLineAmongCommands(_ text: Substring, line: Int, prompt: Prompt?) -> Bool {
        guard let (key, value) = SysctlSetting.configLine(text), !value.isEmpty,
            case .success(let canonical) = SysctlKey.canonical(key)
        else { return false }
        appendSetting(canonical, value, persist: persistHint, line: line, prompt: prompt)
        return true
    }

    private mutating func append(_ action: consuming Step.Action, line: Int, prompt: Prompt?) {
        steps.append(
            Step(
                index: 0, line: line, section: nil, host: prompt?.host, cwd: prompt?.cwd, user: prompt?.user,
                action: action))
    }

    private mutating func warn(_ line: Int, _ message: String) {
        diagnostics.append(.warning(file, line, message))
    }

    private mutating func error(_ line: Int, _ message: String) {
        diagnostics.append(.error(file, line, message))
    }
}

extension String {
    package var trimmingSpacesString: String {
        guard let first = utf8.first, let last = utf8.last, Bytes.isBlank(first) || Bytes.isBlank(last) else {
            return self
        }
        return String(Substring(self).trimmingSpaces)
    }
}
