/// A small POSIX shell lexer: enough to tell what a documented command does (which file it
/// redirects to, which words it passes) without running it. It never evaluates anything.
package struct ShellWords: Equatable {
    package struct Word: Equatable {
        /// The word after quote removal.
        package var text: String
        /// False when the word holds an expansion (`$x`, `$(...)`, backticks, globs, braces,
        /// a leading `~`): its value is only known when a shell runs it, so it cannot be typed.
        package var isLiteral: Bool
    }

    package enum Token: Equatable {
        case word(Word)
        /// `|`, `||`, `&&`, `;`, `&`, `(`, `)`, `>`, `>>`, `<`, `<<<`, `>&`, `2>`, ...
        case op(String)
        case heredoc(delimiter: String, stripsTabs: Bool)
    }

    package var tokens: [Token] = []
    /// A quote is still open at the end of the text: the command goes on on the next line.
    package var isQuoteOpen = false
    /// The text ends in an unquoted backslash: the command goes on on the next line.
    package var continues = false

    package init(_ text: some StringProtocol) {
        tokens.reserveCapacity(8)
        if text.utf8.withContiguousStorageIfAvailable({ lex($0) }) == nil {
            Array(text.utf8).withUnsafeBufferPointer { lex($0) }
        }
    }

    /// The bytes of the word being read, in scratch memory (on the stack for a usual line): a
    /// word never outgrows the line it is read from.
    private struct WordBytes {
        package let base: UnsafeMutablePointer<UInt8>
        package var count = 0

        package var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
        package var isEmpty: Bool { count == 0 }

        package mutating func append(_ byte: UInt8) {
            base[count] = byte
            count += 1
        }

        package mutating func append(contentsOf bytes: Slice<UnsafeBufferPointer<UInt8>>) {
            for byte in bytes { append(byte) }
        }

        package mutating func removeAll() {
            count = 0
        }
    }

    /// The texts of the command's words, operators and heredocs left out: what recognisers of
    /// one simple command (`sysctl -w a=b`, `route -n`) read. One array, sized once.
    package var words: [String] {
        var words: [String] = []
        words.reserveCapacity(tokens.count)
        for case .word(let word) in tokens { words.append(word.text) }
        return words
    }

    /// The words of the command itself: after `sudo` and the `NAME=value` assignments before it
    /// (what lint and preflight ask about the program).
    package var commandWords: ArraySlice<String> {
        var words = self.words[...]
        while let first = words.first, first == "sudo" || first.contains("=") { words = words.dropFirst() }
        return words
    }

    /// The program the command runs, after a leading `sudo`: the cheap test that lets
    /// recognisers skip commands that cannot be theirs.
    package var program: String? {
        var index = 0
        if case .word(let word)? = tokens.first, word.text == "sudo" { index = 1 }
        guard index < tokens.count, case .word(let word) = tokens[index] else { return nil }
        return word.text
    }

    package var heredocs: [(delimiter: String, stripsTabs: Bool)] {
        tokens.compactMap { if case .heredoc(let d, let s) = $0 { (d, s) } else { nil } }
    }

    private mutating func lex(_ bytes: UnsafeBufferPointer<UInt8>) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bytes.count, 1)) { scratch in
            lex(bytes, current: WordBytes(base: scratch.baseAddress!))
        }
    }

    private mutating func lex(_ bytes: UnsafeBufferPointer<UInt8>, current: consuming WordBytes) {
        var current = current
        var index = 0
        var inWord = false
        var literal = true
        var pendingHeredoc: Bool? = nil

        func finishWord() {
            guard inWord else { return }
            let word = Word(text: String(decoding: current.buffer, as: UTF8.self), isLiteral: literal)
            if let strips = pendingHeredoc {
                tokens.append(.heredoc(delimiter: word.text, stripsTabs: strips))
                pendingHeredoc = nil
            } else {
                tokens.append(.word(word))
            }
            current.removeAll()
            inWord = false
            literal = true
        }

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                finishWord()
                index += 1
            case UInt8(ascii: "\\"):
                if index + 1 >= bytes.count {
                    continues = true
                    index += 1
                } else if bytes[index + 1] == UInt8(ascii: "\n") {
                    index += 2
                } else {
                    current.append(bytes[index + 1])
                    inWord = true
                    index += 2
                }
            case UInt8(ascii: "'"):
                inWord = true
                guard let close = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "'")) else {
                    isQuoteOpen = true
                    current.append(contentsOf: bytes[(index + 1)...])
                    index = bytes.count
                    break
                }
                current.append(contentsOf: bytes[(index + 1)..<close])
                index = close + 1
            case UInt8(ascii: "\""):
                inWord = true
                index += 1
                var closed = false
                while index < bytes.count {
                    let inner = bytes[index]
                    if inner == UInt8(ascii: "\"") { closed = true; index += 1; break }
                    if inner == UInt8(ascii: "\\"), index + 1 < bytes.count,
                        bytes[index + 1] == UInt8(ascii: "\"")
                            || bytes[index + 1] == UInt8(ascii: "\\") || bytes[index + 1] == UInt8(ascii: "$")
                            || bytes[index + 1] == UInt8(ascii: "`")
                    {
                        current.append(bytes[index + 1])
                        index += 2
                        continue
                    }
                    if inner == UInt8(ascii: "$") || inner == UInt8(ascii: "`") { literal = false }
                    current.append(inner)
                    index += 1
                }
                if !closed { isQuoteOpen = true }
            case UInt8(ascii: "#") where !inWord:
                finishWord()
                index = bytes.count
            case UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "<"), UInt8(ascii: ">"):
                // `2>` and `2>&1`: a word of digits right before a redirection names a descriptor.
                var op: [UInt8] = []
                if inWord, byte == UInt8(ascii: ">") || byte == UInt8(ascii: "<"), literal,
                    !current.isEmpty, current.buffer.allSatisfy({ $0 >= 48 && $0 <= 57 })
                {
                    op = Array(current.buffer)
                    current.removeAll()
                    inWord = false
                } else {
                    finishWord()
                }
                op.append(byte)
                index += 1
                let doubles = byte != UInt8(ascii: "(") && byte != UInt8(ascii: ")")
                if doubles, index < bytes.count, bytes[index] == byte {
                    op.append(byte)
                    index += 1
                }
                if byte == UInt8(ascii: ">"), index < bytes.count,
                    bytes[index] == UInt8(ascii: "&") || bytes[index] == UInt8(ascii: "|")
                {
                    op.append(bytes[index])
                    index += 1
                }
                let text = String(decoding: op, as: UTF8.self)
                if text == "<<", index < bytes.count, bytes[index] == UInt8(ascii: "<") {
                    index += 1
                    tokens.append(.op("<<<"))
                } else if text == "<<" {
                    let strips = index < bytes.count && bytes[index] == UInt8(ascii: "-")
                    if strips { index += 1 }
                    pendingHeredoc = strips
                } else {
                    tokens.append(.op(text))
                }
            case UInt8(ascii: "$"), UInt8(ascii: "`"):
                literal = false
                inWord = true
                current.append(byte)
                index += 1
            case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "{"):
                literal = false
                inWord = true
                current.append(byte)
                index += 1
            case UInt8(ascii: "~") where !inWord:
                literal = false
                inWord = true
                current.append(byte)
                index += 1
            default:
                inWord = true
                current.append(byte)
                index += 1
            }
        }
        finishWord()
    }
}
