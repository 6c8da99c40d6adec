/// One command as the shell reads it: a physical line plus its `\` continuations, the lines of
/// an open quote, and the bodies of its heredocs.
package struct LogicalCommand {
    /// The command as documented, physical lines joined with newlines (heredoc bodies included).
    package var text: String
    package var shell: ShellWords
    /// Body lines of each heredoc, in the order the heredocs appear.
    package var heredocBodies: [[Substring]]
    /// Index of the first line after the command.
    package var next: Int
    /// The delimiter of a heredoc that ran to the end of the block without its terminator.
    package var unterminatedHeredoc: String?
    /// Several lines joined because they form one `if`/`for`/`while`/`case`/`{` construct: it
    /// runs as written and is never typed as a sysctl or route step.
    package var isCompound = false

    /// A quote left open this many lines later is a typo, not a multi-line string; stopping
    /// keeps the re-lexing bounded on hostile input.
    private static let maximumQuotedLines = 64

    /// Reads the command that starts with `first` (a line's text after any prompt) and goes on
    /// at `lines[index]`. In transcripts, continuation lines may carry the `> ` of PS2.
    package static func read(first: Substring, lines: [Substring], from index: Int, transcript: Bool) -> LogicalCommand
    {
        // The common case, one complete line: no joining, no searching for heredoc bodies.
        if !endsWithBackslash(first) {
            let shell = ShellWords(first)
            if !shell.isQuoteOpen, !shell.tokens.contains(where: { if case .heredoc = $0 { true } else { false } }) {
                return LogicalCommand(
                    text: String(first), shell: shell, heredocBodies: [], next: index, unterminatedHeredoc: nil)
            }
        }
        var physical = [first]
        var next = index
        func continuation(_ line: Substring) -> Substring {
            transcript && line.hasBytePrefix("> ") ? Substring(line.utf8.dropFirst(2)) : line
        }
        while endsWithBackslash(physical.last!), next < lines.count {
            physical.append(continuation(lines[next]))
            next += 1
        }
        var shell = physical.count == 1 ? ShellWords(first) : ShellWords(physical.joined(separator: "\n"))
        var quoted = 0
        while shell.isQuoteOpen, next < lines.count, quoted < maximumQuotedLines {
            physical.append(continuation(lines[next]))
            next += 1
            quoted += 1
            shell = ShellWords(physical.joined(separator: "\n"))
        }

        var bodies: [[Substring]] = []
        var unterminated: String? = nil
        for heredoc in shell.heredocs {
            var body: [Substring] = []
            var terminated = false
            while next < lines.count {
                let line = continuation(lines[next])
                next += 1
                physical.append(line)
                var candidate = line
                if heredoc.stripsTabs { candidate = candidate.drop(while: { $0 == "\t" }) }
                if candidate.trimmingSpaces == heredoc.delimiter {
                    terminated = true
                    break
                }
                body.append(line)
            }
            bodies.append(body)
            if !terminated {
                unterminated = heredoc.delimiter
                break
            }
        }
        let text = physical.count == 1 ? String(first) : physical.joined(separator: "\n")
        return LogicalCommand(
            text: text, shell: shell, heredocBodies: bodies,
            next: next, unterminatedHeredoc: unterminated)
    }

    /// Reads a command and, when it opens a compound command (`for ...; do` without its
    /// `done`), the commands up to the one that closes it: splitting a loop into steps would
    /// make each of them a syntax error.
    package static func readCompound(
        first: Substring, lines: [Substring], from index: Int, transcript: Bool
    ) -> LogicalCommand {
        var command = read(first: first, lines: lines, from: index, transcript: transcript)
        var depth = compoundDepth(command.shell)
        while depth > 0, command.next < lines.count {
            let part = read(first: lines[command.next], lines: lines, from: command.next + 1, transcript: transcript)
            command.text += "\n" + part.text
            command.next = part.next
            command.unterminatedHeredoc = command.unterminatedHeredoc ?? part.unterminatedHeredoc
            command.isCompound = true
            depth += compoundDepth(part.shell)
        }
        return command
    }

    /// How many compound commands a line opens minus how many it closes, counting reserved
    /// words only where a command may start.
    private static func compoundDepth(_ shell: ShellWords) -> Int {
        var depth = 0
        var atCommand = true
        for token in shell.tokens {
            switch token {
            case .op(let op):
                switch op {
                case ";", ";;", "&&", "||", "|", "&", "(", ")": atCommand = true
                default: atCommand = false
                }
            case .word(let word):
                guard atCommand else { continue }
                switch word.text {
                case "if", "case", "for", "while", "until", "{":
                    depth += 1
                case "fi", "esac", "done", "}":
                    depth -= 1
                    atCommand = false
                case "then", "do", "else", "elif", "!":
                    break
                default:
                    atCommand = false
                }
            case .heredoc:
                continue
            }
        }
        return depth
    }

    private static func endsWithBackslash(_ line: Substring) -> Bool {
        line.withBytes { bytes in
            var end = bytes.count
            while end > 0, bytes[end - 1] == UInt8(ascii: "\\") { end -= 1 }
            return (bytes.count - end) % 2 == 1
        }
    }
}
