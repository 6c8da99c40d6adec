/// A shell prompt at the start of a transcript line, and what it says about where the command
/// runs. Real posts use many forms: `$ `, `# `, `host# `, `director:/etc/lvs# `, `root@node1:~# `,
/// `[root@localhost ~]# `, `core@node0 ~ $ `, macOS's `host:~ user$ ` and zsh's `➜  dir `.
package struct Prompt: Equatable {
    package var host: String?
    package var cwd: String?
    package var user: String?
    /// A prompt of only `#` or `$`: in shell blocks `# ` starts a comment instead.
    package var isBare: Bool
    /// The command typed after the prompt (may be empty).
    package var command: Substring

    /// Recognises a prompt at the start of `line`; nil when the line is not a prompt line.
    package static func match(_ line: Substring) -> Prompt? {
        // One look at the bytes: the indent (up to four spaces), the first byte after it and,
        // for a plain prompt, where its marker and its command are.
        let (indent, first, plain) = line.withBytes {
            bytes -> (Int, UInt8?, (marker: Int, command: Int, root: Bool)?) in
            var indent = 0
            while indent < min(4, bytes.count), bytes[indent] == 0x20 { indent += 1 }
            let first = indent < bytes.count ? bytes[indent] : nil
            return (indent, first, first == UInt8(ascii: "[") ? nil : plainMarker(bytes, from: indent))
        }
        switch first {
        case UInt8(ascii: "["):
            return bracketed(line.bytes(indent..<line.utf8.count))
        case 0xE2 where line.bytes(indent..<line.utf8.count).hasPrefix("➜"):
            return zsh(line.bytes(indent..<line.utf8.count))
        default:
            guard let plain else { return nil }
            return fromPrefix(
                line, start: indent, end: plain.marker, root: plain.root,
                command: line.bytes(plain.command..<line.utf8.count))
        }
    }

    /// Offsets of the `#`/`$` of a plain prompt within the first 96 bytes after `start`
    /// (followed by a blank or the end of the line) and of the command after it; nil when a
    /// quote, `=`, `(` or a tab comes first, as they do in commands and output, not in prompts.
    private static func plainMarker(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int
    ) -> (marker: Int, command: Int, root: Bool)? {
        var index = start
        while index < bytes.count, index - start < 96 {
            let byte = bytes[index]
            if let start = command(afterMarkerAt: index, in: bytes) {
                return (index, start, byte == UInt8(ascii: "#"))
            }
            if byte == 0x09 || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "=")
                || byte == UInt8(ascii: "(")
            {
                return nil
            }
            index += 1
        }
        return nil
    }

    /// Where the command starts after a prompt marker at `index`: `#` or `$` followed by a
    /// blank or the end of the line; nil when there is no marker there.
    private static func command(afterMarkerAt index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "#") || bytes[index] == UInt8(ascii: "$") else {
            return nil
        }
        var command = index + 1
        guard command == bytes.count || bytes[command] == 0x20 || bytes[command] == 0x09 else { return nil }
        while command < bytes.count, bytes[command] == 0x20 || bytes[command] == 0x09 { command += 1 }
        return command
    }

    /// Interprets the bytes `start..<end` that stand before the `#`/`$` of a plain prompt, on
    /// the bytes themselves: only the parts a prompt names become strings.
    private static func fromPrefix(_ text: Substring, start: Int, end: Int, root: Bool, command: Substring) -> Prompt? {
        let rootUser: String? = root ? "root" : nil
        return text.withBytes { bytes -> Prompt? in
            func string(_ range: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
            var end = end
            if end > start, bytes[end - 1] == 0x20 { end -= 1 }
            if end == start {
                return Prompt(host: nil, cwd: nil, user: rootUser, isBare: true, command: command)
            }
            // At most two parts separated by one space.
            var host = start..<end
            var second: Range<Int>? = nil
            if let space = bytes[host].firstIndex(of: 0x20) {
                let rest = (space + 1)..<end
                guard !bytes[rest].contains(0x20) else { return nil }
                host = start..<space
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
            return Prompt(
                host: string(host), cwd: cwd.map(string), user: user.map(string) ?? rootUser,
                isBare: false, command: command)
        }
    }

    /// `[user@host dir]# ` as Red Hat's default PS1 prints it.
    private static func bracketed(_ text: Substring) -> Prompt? {
        guard let close = text.firstIndex(of: "]"), text.distance(from: text.startIndex, to: close) < 96 else {
            return nil
        }
        let marker = text.utf8.distance(from: text.startIndex, to: close) + 1
        guard let start = text.withBytes({ command(afterMarkerAt: marker, in: $0) }) else { return nil }
        let typed = text.bytes(start..<text.utf8.count)
        let root = text.utf8[text.utf8.index(text.startIndex, offsetBy: marker)] == UInt8(ascii: "#")
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
            user: user.map(String.init) ?? (root ? "root" : nil), isBare: false, command: typed)
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
        return bytes.allSatisfy {
            Bytes.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
        }
    }

    private static func isPath(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let first = bytes.first else { return false }
        return (first == UInt8(ascii: "~") || first == UInt8(ascii: "/")) && !bytes.contains(0x20)
    }
}
