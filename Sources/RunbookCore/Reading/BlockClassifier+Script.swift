/// Rule 2: a script, and what a block holds when it is not one (file content, notes, output).
extension BlockClassifier {
    /// A script: every logical line that starts with a command is one. Lines that do not
    /// (output pasted after a command, notes) are not run: a routing table after the command
    /// that prints it is its documented output, anything else is reported once.
    mutating func script(_ lines: [Substring], block: Document.CodeBlock) {
        var index = 0
        var notes = 0
        var firstNote = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingSpaces
            // `# /etc/sysctl.conf` or a bare `/etc/sysctl.conf` line labels the lines after it.
            if let file = Self.configFileLabel(trimmed) {
                persistHint = file
                mentionedConfigFile = file
                index += 1
                continue
            }
            if CommandNames.isSkippable(trimmed) {
                index += 1
                continue
            }
            // `FLANNEL_MTU=1450` after `cat /run/flannel/subnet.env` is what cat printed.
            if CommandNames.isBareAssignment(trimmed), previousCommandPrintsSettings() {
                if notes == 0 { firstNote = index }
                notes += 1
                index += 1
                continue
            }
            guard CommandNames.looksLikeCommandLine(trimmed) else {
                let start = index
                while index < lines.count, !CommandNames.looksLikeCommandLine(lines[index].trimmingSpaces) {
                    index += 1
                }
                if documentTable(lines[start..<index], line: block.contentLine + start) { continue }
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
            if let program = command.shell.program, SysctlSetting.isEditor(program),
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

    /// The sysctl file a line labels the lines after it with: a comment that names one
    /// (`# /etc/sysctl.conf`, `#永久生效: /etc/sysctl.conf`) or the path alone on its line.
    static func configFileLabel(_ line: Substring) -> String? {
        switch line.utf8.first {
        case UInt8(ascii: "#"): return SysctlSetting.configFile(inProse: String(line))
        case UInt8(ascii: "/") where line.firstOffset(of: 0x20) == nil:
            let path = String(line)
            return SysctlSetting.isConfigFile(path) ? path : nil
        default: return nil
        }
    }

    /// Programs whose output is sysctl lines (`sysctl -a | grep`, `sysctl -p`, `cat
    /// /etc/sysctl.conf`): the settings after them are what they printed, not settings to make.
    static let settingPrinters: Set<Substring> = [
        "sysctl", "cat", "grep", "tail", "head", "less", "more", "egrep",
    ]

    func previousCommandPrintsSettings() -> Bool {
        guard steps.count > sectionStart, let last = steps.last, case .command(let command) = last.action else {
            return false
        }
        var words = command.text.split(separator: " ", maxSplits: 2)[...]
        if words.first == "sudo" { words = words.dropFirst() }
        return words.first.map { Self.settingPrinters.contains($0) || $0.hasSuffix("/sysctl") } ?? false
    }

    /// Makes `lines` (from file line `line`) the documented output of the step before them when
    /// that step prints a routing table, has no output yet and the lines read as one.
    mutating func documentTable(_ lines: ArraySlice<Substring>, line: Int) -> Bool {
        guard let last = steps.indices.last, last >= sectionStart, case .command(var command) = steps[last].action,
            command.expect == nil,
            let format = RouteTable.format(ofCommand: ShellWords(command.text))
        else { return false }
        var output = lines
        while let line = output.last, line.trimmingSpaces.isEmpty { output.removeLast() }
        guard let routes = RouteTable.parse(lines: output, format: format) else { return false }
        command.expect = Expectation(
            output: Bytes.joined(output), routes: routes, isPrecondition: precondition,
            isPartial: RouteTable.elidesRows(output), outputLines: line..<line + output.count)
        steps[last].action = .command(command)
        return true
    }

    /// The first line that starts with a program and an argument, or with a named prompt.
    static func firstCommandLine(_ lines: [Substring]) -> Int? {
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
    static func isFileContent(_ lines: [Substring]) -> Bool {
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
    static let neverCommands: Set<Substring> = [
        "json", "xml", "html", "css", "sql", "diff", "patch", "nginx", "apache", "yaml", "yml", "toml", "ini", "go",
        "c", "cpp", "java", "javascript", "js", "typescript", "ts", "rust", "swift", "php", "ruby", "lua", "dockerfile",
        "makefile", "mermaid", "dot", "graphviz", "properties", "conf", "config", "cfg", "sysctl", "csv", "tex",
    ]

    /// Whether at least 1/`share` of the block's logical lines start with a command or are
    /// sysctl settings (heredoc bodies and continuations belong to their command).
    static func isCommands(_ lines: [Substring], share: Int) -> Bool {
        var index = 0
        var logical = 0, commands = 0, settings = 0
        while index < lines.count {
            let trimmed = lines[index].trimmingSpaces
            if CommandNames.isSkippable(trimmed) {
                index += 1
                continue
            }
            // `-s：设定调度算法` under `ipvsadm -A ... -s rr`: a gloss of the command's options,
            // which neither makes the block commands nor keeps it from being them.
            if trimmed.utf8.first == UInt8(ascii: "-"), Self.isOptionGloss(trimmed) {
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
            let command = LogicalCommand.readCompound(
                first: lines[index], lines: lines, from: index + 1, transcript: false)
            index = command.next
            // The table a table command prints belongs to it (`netstat -rn`, then its rows).
            if RouteTable.format(ofCommand: command.shell) != nil {
                while index < lines.count, !CommandNames.looksLikeCommandLine(lines[index].trimmingSpaces) {
                    index += 1
                }
            }
        }
        return commands > 0 && (commands + settings) * share >= logical * (share - 1)
    }

    /// `-A：添加虚拟服务`, `-n #显示数值`, `--stats  统计数据`: an option, then what it means in
    /// words (a colon, a comment, or prose that is not ASCII).
    static func isOptionGloss(_ line: Substring) -> Bool {
        let bytes = line.utf8
        var index = bytes.startIndex
        var dashes = 0
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: "-"), dashes < 2 {
            dashes += 1
            index = bytes.index(after: index)
        }
        let nameStart = index
        while index < bytes.endIndex,
            Bytes.isAlphanumeric(bytes[index]) || (index > nameStart && bytes[index] == UInt8(ascii: "-"))
        {
            index = bytes.index(after: index)
        }
        guard index > nameStart, index < bytes.endIndex else { return false }
        var rest = Substring(bytes[index...])
        if rest.hasBytePrefix(":") || rest.hasBytePrefix("：") { return true }
        rest = rest.trimmingSpaces
        guard rest.utf8.count < bytes.distance(from: index, to: bytes.endIndex) else { return false }
        return rest.hasBytePrefix("#") || rest.utf8.first.map { $0 >= 0x80 } == true
    }

    /// The lines typed into a sysctl file after the command that opened it in an editor: each
    /// `key = value` line is a setting persisted there. Returns where they end.
    mutating func typedConfigLines(
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
            if OutputText.isElision(trimmed) {
                index += 1
                continue
            }
            if let (key, value) = SysctlSetting.configLine(lines[index]) {
                // Another file's line (`[section]`, `name = x`) ends the settings.
                guard case .success(let canonical) = SysctlKey.canonical(key) else { break }
                appendSetting(
                    canonical, value, persist: file, line: firstLine + index - lines.startIndex, prompt: prompt)
            } else if CommandNames.looksLikeCommandLine(trimmed) {
                break
            }
            // A note between the settings ("在文件末尾添加：", "add at the end:") is not the
            // end of the file's lines; a command is.
            index += 1
        }
        return index
    }

    /// A block labelled as shell that is mostly not commands (an ASCII diagram, a list of
    /// options) is not run: at least half of its lines must look like commands.
    static func isMostlyCommands(_ lines: [Substring]) -> Bool {
        var candidates = 0
        var commands = 0
        for line in lines where !CommandNames.isSkippable(line.trimmingSpaces) {
            candidates += 1
            if CommandNames.isProgramShaped(line) { commands += 1 }
        }
        return commands * 2 >= candidates
    }
}
