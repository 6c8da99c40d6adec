/// A shell prompt at the start of a transcript line, and what it says about where the command
/// runs. Real posts use many forms: `$ `, `# `, `host# `, `director:/etc/lvs# `, `root@node1:~# `,
/// `[root@localhost ~]# `, `core@node0 ~ $ `, macOS's `host:~ user$ ` and zsh's `➜  dir `.
struct Prompt: Equatable {
    var host: String?
    var cwd: String?
    var user: String?
    /// A prompt of only `#` or `$`: in shell blocks `# ` starts a comment instead.
    var isBare: Bool
    /// The command typed after the prompt (may be empty).
    var command: Substring

    /// Recognises a prompt at the start of `line`; nil when the line is not a prompt line.
    static func match(_ line: Substring) -> Prompt? {
        var text = line
        var indent = 0
        while let first = text.first, first == " ", indent < 4 {
            text.removeFirst()
            indent += 1
        }
        if text.hasPrefix("[") { return bracketed(text) }
        if text.hasPrefix("➜") { return zsh(text) }
        return plain(text)
    }

    /// `#` or `$` followed by a blank or the end of the line.
    private static func marker(_ text: Substring, at index: Substring.Index) -> Substring? {
        guard text[index] == "#" || text[index] == "$" else { return nil }
        let after = text.index(after: index)
        if after == text.endIndex { return text[after...] }
        guard text[after] == " " || text[after] == "\t" else { return nil }
        return text[text.index(after: after)...].drop(while: { $0 == " " || $0 == "\t" })
    }

    private static func plain(_ text: Substring) -> Prompt? {
        var index = text.startIndex
        var scanned = 0
        while index < text.endIndex, scanned < 96 {
            let character = text[index]
            if character == "#" || character == "$", let command = marker(text, at: index) {
                let root = character == "#"
                return fromPrefix(text[..<index], root: root, command: command)
            }
            if character == "\t" || character == "'" || character == "\"" || character == "=" || character == "(" { return nil }
            index = text.index(after: index)
            scanned += 1
        }
        return nil
    }

    /// Interprets what stands before the `#`/`$` of a plain prompt.
    private static func fromPrefix(_ prefix: Substring, root: Bool, command: Substring) -> Prompt? {
        var prefix = prefix
        if prefix.last == " " { prefix.removeLast() }
        if prefix.isEmpty {
            return Prompt(host: nil, cwd: nil, user: root ? "root" : nil, isBare: true, command: command)
        }
        let parts = prefix.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        if parts.count == 1, isPath(prefix) {
            // BusyBox's `~ # ` and `/etc # `: only the directory.
            return Prompt(host: nil, cwd: String(prefix), user: root ? "root" : nil, isBare: false, command: command)
        }
        var user: Substring? = nil
        var hostPart = parts[0]
        var cwd: Substring? = nil
        if let at = hostPart.firstIndex(of: "@") {
            user = hostPart[..<at]
            hostPart = hostPart[hostPart.index(after: at)...]
            guard isName(user!) else { return nil }
        }
        if let colon = hostPart.firstIndex(of: ":") {
            cwd = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
            guard let path = cwd, isPath(path) else { return nil }
        }
        guard isName(hostPart) else { return nil }
        if parts.count == 2 {
            // `core@node0 ~ $` (the second part is the directory) or `host:~ user$` (macOS).
            if user == nil, cwd != nil, isName(parts[1]) {
                user = parts[1]
            } else if cwd == nil, isPath(parts[1]) {
                cwd = parts[1]
            } else {
                return nil
            }
        }
        return Prompt(
            host: String(hostPart), cwd: cwd.map(String.init),
            user: user.map(String.init) ?? (root ? "root" : nil), isBare: false, command: command)
    }

    /// `[user@host dir]# ` as Red Hat's default PS1 prints it.
    private static func bracketed(_ text: Substring) -> Prompt? {
        guard let close = text.firstIndex(of: "]"), text.distance(from: text.startIndex, to: close) < 96 else { return nil }
        let after = text.index(after: close)
        guard after < text.endIndex, let command = marker(text, at: after) else { return nil }
        let root = text[after] == "#"
        let inside = text[text.index(after: text.startIndex)..<close]
        let parts = inside.split(separator: " ", maxSplits: 1)
        guard let first = parts.first else { return nil }
        var user: Substring? = nil
        var host = first
        var cwd: Substring? = parts.count > 1 ? parts[1] : nil
        if let at = first.firstIndex(of: "@") {
            user = first[..<at]
            host = first[first.index(after: at)...]
        }
        if let colon = host.firstIndex(of: ":") {
            cwd = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard isName(host), user.map(isName) ?? true else { return nil }
        return Prompt(
            host: String(host), cwd: cwd.map { String($0.trimmingSpaces) },
            user: user.map(String.init) ?? (root ? "root" : nil), isBare: false, command: command)
    }

    /// oh-my-zsh's `➜  dir git:(main) ✗ command`: no host, only the directory's name.
    private static func zsh(_ text: Substring) -> Prompt? {
        var rest = text.dropFirst().drop(while: { $0 == " " })
        guard let end = rest.firstIndex(of: " ") else { return nil }
        let directory = rest[..<end]
        rest = rest[end...].drop(while: { $0 == " " })
        if rest.hasPrefix("git:("), let close = rest.firstIndex(of: ")") {
            rest = rest[rest.index(after: close)...].drop(while: { $0 == " " })
            if rest.hasPrefix("✗") { rest = rest.dropFirst().drop(while: { $0 == " " }) }
        }
        return Prompt(host: nil, cwd: String(directory), user: nil, isBare: false, command: rest)
    }

    private static func isName(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first.isNumber || first == "_" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") }
    }

    private static func isPath(_ text: Substring) -> Bool {
        guard let first = text.first else { return false }
        return (first == "~" || first == "/") && !text.contains(" ")
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return text
    }
}
