/// A block that is not commands (notes, pasted output) is not run; but a routing table in it,
/// under the command that printed it, is still the document's claim about a machine. How-to
/// posts write them so: prose, then `route -n`, then the table, all in one unlabelled block, or
/// the command at the end of a paragraph and its table in the block after it.
extension BlockClassifier {
    /// Takes each table command of a notes block that its table follows as a step that
    /// documents that table. Returns the lines (in the block) of the commands taken.
    mutating func tablesInNotes(_ lines: [Substring], block: Document.CodeBlock) -> [Int] {
        var taken: [Int] = []
        var index = 0
        while index < lines.count {
            let prompt = Prompt.match(lines[index].trimmingSpaces)
            let text = prompt?.command.trimmingSpaces ?? lines[index].trimmingSpaces
            index += 1
            guard let format = Self.tableFormat(text) else { continue }
            // The table runs to a blank line or the next prompt (`root@pod:/# ` after it).
            var end = index
            while end < lines.count, !lines[end].trimmingSpaces.isEmpty, Prompt.match(lines[end]) == nil { end += 1 }
            let table = lines[index..<end]
            guard RouteTable.parse(lines: table, format: format) != nil else { continue }
            let next = end < lines.count ? Prompt.match(lines[end]) : nil
            add(
                LogicalCommand.read(first: text, lines: [], from: 0, transcript: false),
                line: block.contentLine + index - 1, prompt: prompt ?? next, output: table,
                outputLine: block.contentLine + index)
            taken.append(index - 1)
            index = end
        }
        return taken
    }

    /// Takes the last line of the paragraph before a block that yielded nothing as the command
    /// that printed the block, when it prints a routing table and the whole block reads as
    /// one. Returns the positions of the step it added, if any.
    package mutating func tableAfterProse(_ paragraph: Document.Paragraph, block: Document.CodeBlock) -> Range<Int> {
        let first = steps.count
        let text = paragraph.text[...]
        let command = text.utf8.lastIndex(of: 0x0A).map { text[text.index(after: $0)...] } ?? text
        guard let format = Self.tableFormat(command.trimmingSpaces) else { return first..<first }
        var table = Bytes.lines(block.literal)[...]
        while let last = table.last, last.trimmingSpaces.isEmpty { table.removeLast() }
        guard RouteTable.parse(lines: table, format: format) != nil else { return first..<first }
        add(
            LogicalCommand.read(first: command.trimmingSpaces, lines: [], from: 0, transcript: false),
            line: paragraph.line + text.utf8.count { $0 == 0x0A }, prompt: nil, output: table,
            outputLine: block.contentLine)
        return first..<steps.count
    }

    /// The table format of a line that is a command printing a routing table.
    private static func tableFormat(_ text: Substring) -> RouteTable.Format? {
        guard CommandNames.looksLikeCommandLine(text), !CommandNames.isSkippable(text) else { return nil }
        return RouteTable.format(ofCommand: ShellWords(text))
    }
}
