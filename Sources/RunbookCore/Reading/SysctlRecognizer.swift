extension SysctlSetting {
    /// What a command line turns out to be, seen as sysctl settings.
    package enum Recognition: Equatable {
        case settings([SysctlSetting])
        /// A sysctl write whose key is not a valid name: an error, since running it would fail.
        case invalid(String)
        /// A sysctl write that only a shell can resolve (an expansion): it stays a command.
        case untyped(String)
        case none
    }

    /// Types `echo V > /proc/sys/...` (also `>>`, `printf`, `| tee`), `sysctl [-w] k=v ...` and
    /// `echo "k = v" >> /etc/sysctl.conf`, each with an optional leading `sudo`.
    package static func recognize(_ command: String, shell: ShellWords) -> Recognition {
        guard var program = shell.program else { return .none }
        if program == "/sbin/sysctl" || program == "/usr/sbin/sysctl" { program = "sysctl" }
        guard program == "sysctl" || program == "echo" || program == "printf" else { return .none }
        let tokens = dropSudo(shell.tokens)
        switch program {
        case "sysctl":
            return sysctlCommand(tokens, command: command)
        case "echo", "printf":
            return echoCommand(tokens, command: command)
        default:
            return .none
        }
    }

    /// A line of a sysctl config file as procps reads it: `#`/`;` comments, the first `=`
    /// splitting key and value, both trimmed. Nil for blank and comment lines.
    package static func configLine(_ line: Substring) -> (key: Substring, value: Substring)? {
        let text = line.trimmingSpaces
        guard let first = text.utf8.first, first != UInt8(ascii: "#"), first != UInt8(ascii: ";"),
            let equals = text.firstOffset(of: UInt8(ascii: "="))
        else {
            return nil
        }
        return (text.bytes(0..<equals).trimmingSpaces, text.bytes((equals + 1)..<text.utf8.count).trimmingSpaces)
    }

    /// The sysctl config file a heredoc is written to: `cat <<EOF | [sudo] tee [-a] FILE`,
    /// `cat > FILE <<EOF`, `cat <<EOF >> FILE`, `[sudo] tee [-a] FILE <<EOF`.
    /// Editors a document opens a sysctl file in, so that the settings shown next are its lines.
    static let editors = SortedWords([
        "vi", "vim", "nvim", "nano", "emacs", "gedit", "pico", "joe", "mcedit", "sudoedit", "vim.tiny",
    ])

    /// Whether `program` is an editor: asked of every command, so looked up by bytes.
    package static func isEditor(_ program: String) -> Bool {
        var program = program
        return program.withUTF8 { editors.contains($0) }
    }

    /// The sysctl config file `[sudo] vi|vim|nano|... FILE` opens.
    package static func editedFile(_ shell: ShellWords) -> String? {
        let words = dropSudo(shell.tokens)
        guard case .word(let editor)? = words.first, isEditor(editor.text) else { return nil }
        for token in words.dropFirst() {
            if case .word(let file) = token, file.isLiteral, isConfigFile(file.text) { return file.text }
        }
        return nil
    }

    private static let sysctlDirectoryNeedles = [Array("/etc/sysctl.".utf8), Array("/run/sysctl.d/".utf8)]

    /// The sysctl config file prose names ("edit /etc/sysctl.conf and run sysctl -p",
    /// "编辑此文件：/etc/sysctl.conf"): the last one it names, being nearest the block after it.
    package static func configFile(inProse text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var found: (offset: Int, path: String)? = nil
            for needle in sysctlDirectoryNeedles {
                var from = 0
                while from < bytes.count,
                    let hit = Bytes.find(needle, in: UnsafeBufferPointer(rebasing: bytes[from...]))
                {
                    let start = from + hit
                    var end = start
                    while end < bytes.count, Bytes.isPathByte(bytes[end]) {
                        end += 1
                    }
                    if end > start, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
                    let candidate = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                    if isConfigFile(candidate), found.map({ $0.offset < start }) ?? true { found = (start, candidate) }
                    from = max(end, start + 1)
                }
            }
            return found?.path
        }
    }

    /// The file `sysctl -p [FILE]` (or `--load`) loads: `/etc/sysctl.conf` when none is given,
    /// as procps does. Settings shown before it without a file of their own are that file's.
    package static func loadedFile(_ command: String) -> String? {
        var words = command.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        if words.first == "sudo" { words = words.dropFirst() }
        guard let program = words.popFirst(), program == "sysctl" || program.hasSuffix("/sysctl") else { return nil }
        guard let option = words.popFirst(),
            option == "-p" || option == "--load" || option.hasPrefix("--load=") || option.hasPrefix("-p/")
        else { return nil }
        if option.hasPrefix("--load=") { return String(option.dropFirst("--load=".count)) }
        if option.hasPrefix("-p/") { return String(option.dropFirst(2)) }
        guard let file = words.first, file.hasPrefix("/") else { return words.isEmpty ? "/etc/sysctl.conf" : nil }
        return String(file)
    }

    package static func heredocTarget(_ shell: ShellWords) -> String? {
        guard shell.tokens.count(where: { if case .heredoc = $0 { true } else { false } }) == 1 else { return nil }
        let tokens = dropSudo(shell.tokens).filter {
            if case .heredoc = $0 { false } else if case .op(let op) = $0 { op != "2>" && op != "2>&" } else { true }
        }
        var words: [String] = []
        var target: String? = nil
        var index = 0
        while index < tokens.count {
            switch tokens[index] {
            case .op(">"), .op(">>"):
                guard index + 1 < tokens.count, case .word(let file) = tokens[index + 1], file.isLiteral else {
                    return nil
                }
                target = file.text
                index += 2
                continue
            case .op("|"):
                words.append("|")
            case .word(let word):
                if word.text != "sudo" { words.append(word.text) }
            default:
                return nil
            }
            index += 1
        }
        if words.first == "tee" || words.starts(with: ["cat", "|", "tee"]) {
            let files = words.drop(while: { $0 != "tee" }).dropFirst().filter { !$0.hasPrefix("-") }
            // `tee > FILE <<EOF` writes the file through its standard output.
            if !(files.isEmpty && target != nil && target != "/dev/null") {
                guard files.count == 1, target == nil || target == "/dev/null" else { return nil }
                target = files.first
            }
        } else if words != ["cat"] {
            return nil
        }
        guard let target, isConfigFile(target) else { return nil }
        return target
    }

    private static func dropSudo(_ tokens: [ShellWords.Token]) -> ArraySlice<ShellWords.Token> {
        var tokens = tokens[...]
        if case .word(let word)? = tokens.first, word.text == "sudo" {
            tokens = tokens.dropFirst()
            while case .word(let option)? = tokens.first, option.text.hasPrefix("-") { tokens = tokens.dropFirst() }
        }
        return tokens
    }

    private static func sysctlCommand(_ tokens: ArraySlice<ShellWords.Token>, command: String) -> Recognition {
        var settings: [SysctlSetting] = []
        settings.reserveCapacity(tokens.count)
        var words: [String] = []
        for token in tokens.dropFirst() {
            guard case .word(let word) = token, word.isLiteral else { return .none }
            words.append(word.text)
        }
        // `sysctl -w KEY = VALUE`, spaced as in sysctl.conf (procps refuses it; the author
        // meant KEY=VALUE).
        if let equals = words.firstIndex(of: "="), equals > 0, equals + 1 < words.count, words.count == equals + 2 {
            words[equals - 1] += "=" + words[equals + 1]
            words.removeSubrange(equals...)
        }
        for text in words {
            switch text {
            case "-w", "-q", "-e", "--write", "--quiet": continue
            default: break
            }
            guard let equals = text.utf8.firstIndex(of: UInt8(ascii: "=")) else { return .none }
            switch SysctlKey.canonical(text[..<equals]) {
            case .success(let key):
                let value = Substring(text.utf8[text.utf8.index(after: equals)...]).trimmingSpaces
                settings.append(SysctlSetting(key: key, value: String(value), persist: nil, command: command))
            case .failure(.invalid(let reason)):
                return .invalid(reason)
            case .failure(.notSysctl):
                return .none
            }
        }
        return settings.isEmpty ? .none : .settings(settings)
    }

    /// `echo V > FILE`, `printf V > FILE`, `echo V | [sudo] tee [-a] FILE [> /dev/null]`.
    private static func echoCommand(_ tokens: ArraySlice<ShellWords.Token>, command: String) -> Recognition {
        var arguments: [ShellWords.Word] = []
        arguments.reserveCapacity(tokens.count)
        var rest = tokens.dropFirst()
        var isPrintf = false
        if case .word(let program)? = tokens.first { isPrintf = program.isLiteral && program.text == "printf" }
        while case .word(let word)? = rest.first {
            arguments.append(word)
            rest = rest.dropFirst()
        }
        let file: ShellWords.Word
        if rest.count == 2, case .op(let op) = rest.first!, op == ">" || op == ">>" || op == ">|",
            case .word(let target) = rest.last!
        {
            file = target
        } else if case .op("|")? = rest.first, let tee = teeTarget(rest.dropFirst()) {
            file = tee
        } else {
            return .none
        }
        guard let value = echoedValue(arguments, isPrintf: isPrintf) else {
            return file.text.utf8.starts(with: "/proc/sys/".utf8)
                ? .untyped("the value written to \(file.text) is only known when a shell runs the command") : .none
        }
        if file.text.utf8.starts(with: "/proc/sys/".utf8) {
            guard file.isLiteral else {
                return .untyped(
                    "'\(file.text)' is expanded by the shell (brace expansion in a redirection fails in bash and creates a stray file in dash); write one command per key"
                )
            }
            switch SysctlKey.canonical(file.text) {
            case .success(let key):
                return .settings([SysctlSetting(key: key, value: value, persist: nil, command: command)])
            case .failure(let problem):
                return .invalid(problem.description)
            }
        }
        guard file.isLiteral, isConfigFile(file.text), let line = configLine(Substring(value)) else { return .none }
        switch SysctlKey.canonical(line.key) {
        case .success(let key):
            return .settings([SysctlSetting(key: key, value: String(line.value), persist: file.text, command: command)])
        case .failure(.invalid(let reason)):
            return .invalid(reason)
        case .failure(.notSysctl):
            return .none
        }
    }

    private static func teeTarget(_ tokens: ArraySlice<ShellWords.Token>) -> ShellWords.Word? {
        var words: [ShellWords.Word] = []
        var rest = tokens[...]
        while case .word(let word)? = rest.first {
            words.append(word)
            rest = rest.dropFirst()
        }
        if words.first?.text == "sudo" { words.removeFirst() }
        guard words.first?.text == "tee" else { return nil }
        let options = words.dropFirst().filter { $0.text.hasPrefix("-") }
        let files = words.dropFirst().filter { !$0.text.hasPrefix("-") }
        guard files.count == 1, options.allSatisfy({ ["-a", "--append"].contains($0.text) }) else { return nil }
        let toDevNull: [ShellWords.Token] = [.op(">"), .word(.init(text: "/dev/null", isLiteral: true))]
        guard rest.isEmpty || Array(rest) == toDevNull else { return nil }
        return files[0]
    }

    /// The text `echo`/`printf` print, without the trailing newline; nil when it depends on
    /// the shell (an expansion) or on a format we do not model.
    private static func echoedValue(_ arguments: [ShellWords.Word], isPrintf: Bool) -> String? {
        guard arguments.allSatisfy(\.isLiteral) else { return nil }
        var texts = arguments.map(\.text)
        if isPrintf {
            guard let format = texts.first else { return nil }
            let plain = format.hasSuffix("\\n") ? String(format.dropLast(2)) : format
            if texts.count == 1, !plain.utf8.contains(UInt8(ascii: "%")), !plain.utf8.contains(UInt8(ascii: "\\")) {
                return plain
            }
            if texts.count == 2, ["%s", "%d", "%u", "%i"].contains(plain) { return texts[1] }
            return nil
        }
        while let first = texts.first,
            first == "-n" || first == "-e" || first == "-E" || first == "-ne" || first == "-en"
        {
            texts.removeFirst()
        }
        let value = texts.joined(separator: " ")
        return value.isEmpty ? nil : value
    }
}
