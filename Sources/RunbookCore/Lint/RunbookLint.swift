/// What `runbook check` finds by reading a runbook, before anything runs: commands that would
/// never end, placeholders and variables nobody sets, sysctl keys the kernel does not have,
/// steps without a host where the document has several, hosts without a target. Each finding
/// is a diagnostic at the step's line; an error means exec would fail or hang there.
public enum RunbookLint {
    public struct Context {
        /// Whether a sysctl key exists (on the target, or on this machine); nil: not checked.
        public var sysctlExists: ((String) -> Bool)?
        /// The roles with a target (`--target`, front matter); nil when none were given.
        public var targetRoles: Set<String>?
        /// Variables the runbook's commands will have besides its own (`vars:` and the `--set`
        /// values it was read with).
        public var variables: Set<String> = []

        public init(sysctlExists: ((String) -> Bool)? = nil, targetRoles: Set<String>? = nil) {
            self.sysctlExists = sysctlExists
            self.targetRoles = targetRoles
        }
    }

    public static func findings(_ runbook: Runbook, context: Context) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        let file = runbook.file
        let multiHost = runbook.hosts.count > 1
        for step in runbook.steps {
            if multiHost, step.host == nil {
                findings.append(
                    .warning(
                        file, step.line,
                        "step \(step.index) names no host, in a document with several (\(runbook.hosts.joined(separator: ", "))): say which with a prompt or {host=NAME}"
                    ))
            }
            if let roles = context.targetRoles, let host = step.host, !roles.contains(host) {
                findings.append(.warning(file, step.line, "host '\(host)' of step \(step.index) has no target"))
            }
            switch step.action {
            case .sysctl(let setting):
                if let exists = context.sysctlExists, !exists(setting.key) {
                    findings.append(
                        .warning(
                            file, step.line,
                            "sysctl key \(setting.key) does not exist in this kernel (a module not loaded, or a typo?)")
                    )
                }
                if let placeholder = placeholder(in: setting.value) {
                    findings.append(
                        .error(file, step.line, "the value of \(setting.key) is a placeholder: \(placeholder)"))
                }
            case .command(let command):
                let text = command.text
                if let reason = neverEnds(ShellWords(text)) {
                    findings.append(.error(file, step.line, "'\(PlanRenderer.firstLine(text, width: 60))' \(reason)"))
                }
                if let placeholder = placeholder(in: text) {
                    findings.append(
                        .error(
                            file, step.line,
                            "'\(PlanRenderer.firstLine(text, width: 60))' holds a placeholder to fill in: \(placeholder)"
                        ))
                }
            default:
                break
            }
        }
        findings += unsetVariables(runbook, known: context.variables).map { $0.diagnostic(.warning, file: file) }
        return findings
    }

    /// A variable a command reads that nothing gives a value: a shell would run the command
    /// with it empty, which is rarely what the author meant.
    public struct UnsetVariable: Sendable, Equatable {
        public var name: String
        /// The step that reads it, and its line.
        public var step: Int
        public var line: Int

        /// Says where a value can come from, since the reader of the message has to give one.
        public func diagnostic(_ severity: Diagnostic.Severity, file: String) -> Diagnostic {
            Diagnostic(
                severity, at: SourceLocation(file: file, line: line),
                "$\(name) is set nowhere: give it with --set \(name)=VALUE or under vars:")
        }
    }

    /// Every read, step by step, of a variable that has no value where the command runs: not
    /// the runbook's (`vars:`, `--set`), not `known` (the environment runbook runs in, when its
    /// commands will get it), not one every shell has, not assigned by an earlier step.
    public static func unsetVariables(_ runbook: Runbook, known: Set<String>) -> [UnsetVariable] {
        var assigned = known.union(environment)
        assigned.formUnion(runbook.variables.keys)
        var unset: [UnsetVariable] = []
        for step in runbook.steps {
            guard case .command(let command) = step.action else { continue }
            assigned.formUnion(assignments(command.text))
            for name in variables(in: command.text) where !assigned.contains(name) {
                unset.append(UnsetVariable(name: name, step: step.index, line: step.line))
            }
        }
        return unset
    }

    /// Variables every shell has.
    private static let environment: Set<String> = [
        "HOME", "PATH", "USER", "LOGNAME", "PWD", "OLDPWD", "SHELL", "HOSTNAME", "TERM", "LANG", "UID", "EUID",
        "PPID", "RANDOM", "SECONDS", "IFS", "TMPDIR", "LINENO", "OPTARG", "OPTIND", "REPLY", "PS1", "BASH_VERSION",
    ]

    /// Why the command would never end by itself, if it would not: an editor, a pager, a live
    /// view, an endless `ping` or capture.
    static func neverEnds(_ shell: ShellWords) -> String? {
        let words = shell.commandWords
        guard let program = words.first.map({ $0.split(separator: "/").last.map(String.init) ?? $0 }) else {
            return nil
        }
        let options = Set(words.dropFirst())
        switch program {
        case "vi", "vim", "nvim", "nano", "emacs", "joe", "mcedit", "pico", "ed":
            return "opens an editor, which waits for someone to type (write the file with a heredoc or tee instead)"
        case "less", "more", "most", "man":
            return "opens a pager, which waits for a key"
        case "top", "htop", "atop", "iotop", "iftop", "nmon", "glances", "watch", "nload":
            return options.contains("-b") || options.contains("-n") ? nil : "is a live view that runs until it is quit"
        case "ping", "ping6", "arping":
            return words.dropFirst().contains { $0.hasPrefix("-c") || $0.hasPrefix("-w") }
                ? nil : "runs until it is interrupted (give a count: -c 3)"
        case "tcpdump", "tshark":
            return words.dropFirst().contains { $0.hasPrefix("-c") }
                ? nil : "captures until it is interrupted (give -c N)"
        case "tail", "journalctl":
            return options.contains("-f") || options.contains("--follow") || options.contains("-F")
                ? "follows the file until it is interrupted" : nil
        default:
            return nil
        }
    }

    /// `<ip>`, `<YOUR-VIP>`, `x.x.x.x`, `YOUR_TOKEN`: text the author meant to be replaced.
    /// Quoted `<...>` is taken as meant (a pattern such as `grep "^<none>"`, markup).
    static func placeholder(in text: String) -> String? {
        let bytes = Array(text.utf8)
        var index = 0
        var quote: UInt8? = nil
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "'") || bytes[index] == UInt8(ascii: "\"") {
                if quote == nil { quote = bytes[index] } else if quote == bytes[index] { quote = nil }
            }
            // `<name>`, but not `<<EOF` or a redirection `< file`.
            if quote == nil, bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count,
                Bytes.isLetter(bytes[index + 1]),
                index == 0 || bytes[index - 1] != UInt8(ascii: "<")
            {
                var end = index + 1
                while end < bytes.count, Bytes.isAlphanumeric(bytes[end]) || "_-. ".utf8.contains(bytes[end]) {
                    end += 1
                }
                if end < bytes.count, bytes[end] == UInt8(ascii: ">"), end - index <= 40 {
                    return String(decoding: bytes[index...end], as: UTF8.self)
                }
            }
            index += 1
        }
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            let lower = word.lowercased()
            if lower.contains("x.x.x.x") || lower.contains("xxx.xxx") { return String(word) }
            if word.hasPrefix("YOUR_") || word.contains("=YOUR_") || word.contains("/YOUR_") { return String(word) }
        }
        return nil
    }

    /// Where a command reads a variable: `$NAME`, or `${NAME}`.
    package struct VariableReference {
        package var name: String
        /// Byte offsets of the whole reference in the command.
        package var range: Range<Int>
        /// False for `${NAME:-default}` and its kin: a shell resolves those with more than the
        /// value.
        package var isPlain: Bool
    }

    /// `$NAME` and `${NAME}` the command reads: not inside single quotes, not escaped with a
    /// backslash; a single quote inside double quotes is only a character.
    package static func variableReferences(in text: String) -> [VariableReference] {
        var references: [VariableReference] = []
        let bytes = Array(text.utf8)
        var index = 0
        var singleQuoted = false
        var doubleQuoted = false
        while index < bytes.count {
            let byte = bytes[index]
            if singleQuoted {
                if byte == UInt8(ascii: "'") { singleQuoted = false }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"):
                index += 2
                continue
            case UInt8(ascii: "'") where !doubleQuoted:
                singleQuoted = true
            case UInt8(ascii: "\""):
                doubleQuoted.toggle()
            case UInt8(ascii: "$") where index + 1 < bytes.count:
                let braced = bytes[index + 1] == UInt8(ascii: "{")
                let start = index + (braced ? 2 : 1)
                var end = start
                while end < bytes.count, Bytes.isAlphanumeric(bytes[end]) || bytes[end] == UInt8(ascii: "_") {
                    end += 1
                }
                guard end > start, Bytes.isLetter(bytes[start]) || bytes[start] == UInt8(ascii: "_") else {
                    // `$$NAME` is the shell's process number, then text.
                    index = start < bytes.count && bytes[start] == UInt8(ascii: "$") ? start + 1 : end
                    continue
                }
                let closed = braced && end < bytes.count && bytes[end] == UInt8(ascii: "}")
                let name = String(decoding: bytes[start..<end], as: UTF8.self)
                references.append(
                    VariableReference(name: name, range: index..<(closed ? end + 1 : end), isPlain: !braced || closed))
                index = end
                continue
            default:
                break
            }
            index += 1
        }
        return references
    }

    /// The names of the variables the command reads, each once (see `variableReferences`).
    package static func variables(in text: String) -> [String] {
        var names: [String] = []
        for reference in variableReferences(in: text) where !names.contains(reference.name) {
            names.append(reference.name)
        }
        return names
    }

    /// `NAME=value`, `export NAME=value`, `read NAME`, `for NAME in`: what a step sets for the
    /// steps after it.
    package static func assignments(_ text: String) -> [String] {
        var names: [String] = []
        let words = ShellWords(text).words
        for (position, word) in words.enumerated() {
            if let equals = word.firstIndex(of: "="), ShellQuote.isIdentifier(String(word[..<equals])),
                position == 0 || ["export", "local", "declare", "readonly"].contains(words[position - 1])
            {
                names.append(String(word[..<equals]))
            }
            if position > 0, words[position - 1] == "read" || words[position - 1] == "for",
                ShellQuote.isIdentifier(word)
            {
                names.append(word)
            }
        }
        return names
    }
}
