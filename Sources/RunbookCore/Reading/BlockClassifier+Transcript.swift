/// Rule 1: a transcript, prompts and the output after them.
extension BlockClassifier {
    /// The prompt that starts `line`, unless it is a bare `#` that reads as a comment.
    static func prompt(_ line: Substring, language: Substring) -> Prompt? {
        var prompt = Prompt.match(line)
        // Looked at in place: binding the prompt to a constant would copy it.
        if prompt.map({ !isPrompt($0, language: language) }) == true { prompt = nil }
        return prompt
    }

    static func isPrompt(_ prompt: Prompt, language: Substring) -> Bool {
        // What follows a prompt is typed at a shell; prose after `#` (`cat /proc/sys/vm/nr_hugepages
        // # 查看大内存页的数量`) makes the line a command with a comment, not a prompt.
        if let first = prompt.command.utf8.first, first >= 0x80 { return false }
        guard prompt.isBare else { return true }
        guard prompt.user == "root" else { return true }
        // `# check the value` is far more often a comment than a root prompt: only a known
        // command after a bare `#` makes it a prompt.
        return !shellLanguages.contains(language) && !prompt.command.isEmpty && !prompt.command.hasPrefix("#")
            && CommandNames.looksLikeCommandLine(prompt.command)
    }

    mutating func transcript(
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
            // In a shell block, `# node3上路由` before the next prompt introduces the next
            // command: comments at the end of the output are notes, not what was printed.
            while let last = output.last?.trimmingSpaces,
                last.isEmpty || isShellBlock && last.utf8.first == UInt8(ascii: "#")
            {
                output.removeLast()
            }
            add(command, line: line, prompt: prompt, output: output, outputLine: block.contentLine + start)
        }
        return true
    }
}
