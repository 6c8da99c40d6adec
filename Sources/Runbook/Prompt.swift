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
        let indent = line.utf8.prefix(4).prefix(while: { $0 == 0x20 }).count
        let text = indent == 0 ? line : Substring(line.utf8.dropFirst(indent))
        switch text.utf8.first {
        case UInt8(ascii: "["): return bracketed(text)
        case 0xE2 where text.hasPrefix("➜"): return zsh(text)
        default:
            guard let (marker, commandStart) = plainMarker(text) else { return nil }
            let command = text.bytes(commandStart..<text.utf8.count)
            return fromPrefix(text, end: marker, root: text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: marker)] == UInt8(ascii: "#"),
                              command: command)
        }
    }

    /// Offsets of the `#`/`$` of a plain prompt within its first 96 bytes (followed by a blank
    /// or the end of the line) and of the command after it; nil when a quote, `=`, `(` or a
    /// tab comes first, as they do in commands and output, not in prompts.
    private static func plainMarker(_ text: Substring) -> (marker: Int, command: Int)? {
        text.withBytes { bytes in
            var index = 0
            while index < bytes.count, index < 96 {
                let byte = bytes[index]
                if byte == UInt8(ascii: "#") || byte == UInt8(ascii: "$") {
                    let after = index + 1
                    if after == bytes.count { return (index, after) }
                    if bytes[after] == 0x20 || bytes[after] == 0x09 {
                        var command = after + 1
                        while command < bytes.count, bytes[command] == 0x20 || bytes[command] == 0x09 { command += 1 }
                        return (index, command)
                    }
                }
                if byte == 0x09 || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "=")
                    || byte == UInt8(ascii: "(") {
                    return nil
                }
                index += 1
            }
            return nil
        }
    }

    /// `#` or `$` followed by a blank or the end of the line.
    private static func marker(_ text: Substring, at index: Substring.Index) -> Substring? {
        let bytes = text.utf8
        guard bytes[index] == UInt8(ascii: "#") || bytes[index] == UInt8(ascii: "$") else { return nil }
        let after = bytes.index(after: index)
        if after == bytes.endIndex { return Substring(bytes[after...]) }
        guard bytes[after] == 0x20 || bytes[after] == 0x09 else { return nil }
        return Substring(bytes[bytes.index(after: after)...].drop(while: { $0 == 0x20 || $0 == 0x09 }))
    }

    /// Interprets the `end` bytes that stand before the `#`/`$` of a plain prompt, on the
    /// bytes themselves: only the parts a prompt names become strings.
    private static func fromPrefix(_ text: Substring, end: Int, root: Bool, command: Substring) -> Prompt? {
        let rootUser: String? = root ? "root" : nil
        return text.withBytes { bytes -> Prompt? in
            func string(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            var end = end
            if end > 0, bytes[end - 1] == 0x20 { end -= 1 }
            if end == 0 {
                return Prompt(host: nil, cwd: nil, user: rootUser, isBare: true, command: command)
            }
            // At most two parts separated by one space.
            var host = 0..<end
            var second: Range<Int>? = nil
            if let space = bytes[host].firstIndex(of: 0x20) {
                let rest = (space + 1)..<end
                guard !bytes[rest].contains(0x20) else { return nil }
                host = 0..<space
                second = rest
            } else if isPath(bytes[host]) {
                // BusyBox's `~ # ` and `/etc # `: only the directory.
                return Prompt(host: nil, cwd: string(host), user: rootUser, isBare: false, command: command)
            }
            var user: Range<Int>? = nil
            var cwd: Range<Int>? = nil
            if let at = bytes[host].firstIndex(of: UInt8(ascii: "@")) {
                let name = host.lowerBound..<at
                guard isName(bytes[name]) else { return nil }
                user = name
                host = (at + 1)..<host.upperBound
            }
            if let colon = bytes[host].firstIndex(of: UInt8(ascii: ":")) {
                let path = (colon + 1)..<host.upperBound
                guard isPath(bytes[path]) else { return nil }
                cwd = path
                host = host.lowerBound..<colon
            }
            guard isName(bytes[host]) else { return nil }
            if let second {
                // `core@node0 ~ $` (the second part is the directory) or `host:~ user$` (macOS).
                if user == nil, cwd != nil, isName(bytes[second]) {
                    user = second
                } else if cwd == nil, isPath(bytes[second]) {
                    cwd = second
                } else {
                    return nil
                }
            }
            return Prompt(host: string(host), cwd: cwd.map(string), user: user.map(string) ?? rootUser,
                          isBare: false, command: command)
        }
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
        text.withBytes { isName($0[...]) }
    }

    private static func isName(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let first = bytes.first, Bytes.isAlphanumeric(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { Bytes.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") }
    }

    private static func isPath(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let first = bytes.first else { return false }
        return (first == UInt8(ascii: "~") || first == UInt8(ascii: "/")) && !bytes.contains(0x20)
    }
}
