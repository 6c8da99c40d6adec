/// Turns code blocks into steps, by the recognition rules of the README: a sysctl config
/// block, else a transcript (prompt lines), else a script, else nothing.
///
/// Steps are appended to one array for all the blocks of a document, with no array per block
/// and no intermediate form (a large runbook has a hundred thousand steps); their index,
/// section and inherited host are the caller's to set, since they depend on what is around
/// the block.
package struct BlockClassifier {
    package let file: String
    package var steps: [Step] = []
    package var diagnostics: [Diagnostic] = []
    /// The paragraph before the current block presents its output as a possible starting state.
    var precondition = false
    /// The current block is labelled as a shell's (`sh`, `bash`, ...): `#` starts a comment.
    var isShellBlock = false
    /// Where the current section's steps start: output belongs to a command of its own
    /// section (its block, or the block before), never to one under an earlier heading, which
    /// may stand in another part of a document read in parts.
    package var sectionStart = 0
    /// The sysctl file the prose around the current block names, for its `key = value` lines.
    var persistHint: String?
    /// The sysctl file the last block opened in an editor (`vi /etc/sysctl.conf`): the settings
    /// shown after it, in this block or the next, are lines typed into it.
    package var editedConfigFile: String?
    /// The sysctl file a comment of the last block named (`# 永久生效: /etc/sysctl.conf`).
    package var mentionedConfigFile: String?
    /// Settings of the current section written as file lines with no file named: the
    /// `sysctl -p [FILE]` that loads them says which file they were meant for.
    package var unfiledSettings: [Int] = []
    /// Every setting read as a file line with no file named where it stands, by position:
    /// the only steps the document-level pass that files them has to look at.
    package var fileLinesWithoutFile: [Int] = []
    /// Values known before anything runs (`vars:`, `--set`): a command that reads only these
    /// is typed as the shell would run it, with them put in.
    package var variables: [String: String] = [:]

    package init(file: String) {
        self.file = file
    }

    /// Appends the steps of one block and returns their positions in `steps`. `persistHint`
    /// is the sysctl config file the paragraph before the block names.
    package mutating func classify(_ block: Document.CodeBlock, persistHint: String?, precondition: Bool) -> Range<Int>
    {
        let first = steps.count
        self.precondition = precondition
        self.persistHint = persistHint
        classify(block, from: first)
        return first..<steps.count
    }

    /// Languages whose `# ` lines are comments, so never a bare root prompt.
    package static let shellLanguages: Set<Substring> = ["sh", "bash", "shell", "zsh"]
    /// Languages a transcript may be written in.
    package static let transcriptLanguages: Set<Substring> = shellLanguages.union(
        [
            "", "console", "shell-session", "sh-session", "session", "terminal", "text", "txt", "plain", "plaintext",
            "output",
        ])
    /// Languages a prompt-less block is read as a script in (rule 2), besides command-only
    /// unlabelled blocks.
    package static let scriptLanguages: Set<Substring> = shellLanguages.union(["console"])
    /// Languages a block of `key = value` lines may be a sysctl config in.
    package static let configLanguages: Set<Substring> = transcriptLanguages.union([
        "conf", "config", "cfg", "ini", "sysctl", "properties",
    ])

    /// The kinds of block a language allows, found with one lookup per block.
    private struct LanguageTraits: OptionSet {
        package let rawValue: UInt8
        package static let config = LanguageTraits(rawValue: 1)
        package static let transcript = LanguageTraits(rawValue: 2)
        package static let script = LanguageTraits(rawValue: 4)
        package static let shell = LanguageTraits(rawValue: 8)
    }

    private static let languageTraits: [Substring: LanguageTraits] = {
        var traits: [Substring: LanguageTraits] = [:]
        for language in configLanguages { traits[language, default: []].insert(.config) }
        for language in transcriptLanguages { traits[language, default: []].insert(.transcript) }
        for language in scriptLanguages { traits[language, default: []].insert(.script) }
        for language in shellLanguages { traits[language, default: []].insert(.shell) }
        return traits
    }()

    private mutating func classify(_ block: Document.CodeBlock, from first: Int) {
        // Most blocks have no attributes at all.
        let attributes: BlockAttributes?
        if block.info.utf8.contains(UInt8(ascii: "{")) {
            let (parsed, unknown) = BlockAttributes.parse(info: block.info)
            for name in unknown {
                warn(
                    block.line,
                    "unknown block attribute '\(name)' ignored; known: \(BlockAttributes.keys.joined(separator: ", "))")
            }
            attributes = parsed
        } else {
            attributes = nil
        }
        if block.isFenced && !block.isClosed {
            warn(block.line, "code fence opened here is never closed; the block runs to the end of its container")
        }
        if attributes?.skip == true { return }
        let language = block.language
        let traits = Self.languageTraits[language] ?? []
        isShellBlock = traits.contains(.shell)
        let lines = Bytes.lines(block.literal)
        // A first line `# /etc/sysctl.conf` names the file the block is, unless the prose did.
        if persistHint == nil, let first = lines.first, let file = Self.configFileLabel(first.trimmingSpaces) {
            persistHint = file
        }
        if traits.contains(.config), configBlock(lines, block: block, persist: persistHint) {
        } else if Self.isFileContent(lines) {
            // A script to save (`#!/bin/bash` first) or a file of assignments (ifcfg-eth0,
            // subnet.env): what the reader writes into a file, not commands to type.
            if lines.first?.hasBytePrefix("#!") == true {
                warn(
                    block.line,
                    "block starts with '#!': it is a script's file, not steps; save it and run it as a step of its own")
            }
        } else if traits.contains(.transcript), transcript(lines, block: block, language: language) {
        } else if traits.isEmpty, !language.isEmpty,
            transcript(lines, block: block, language: language, namedPromptsOnly: true)
        {
            // `[root@rs1 ~]# echo 1 > ...` in a block labelled yaml or properties.
        } else if !traits.contains(.script), !Self.neverCommands.contains(language),
            Self.isCommands(lines, share: language.isEmpty ? 2 : 5)
        {
            // An unlabelled block, or one labelled as what it is not (```python around
            // `cat <<EOF > /etc/sysctl.d/k8s.conf`): commands by their first words.
            script(lines, block: block)
        } else if traits.contains(.script) {
            if Self.isMostlyCommands(lines) {
                script(lines, block: block)
            } else {
                warn(
                    block.line,
                    "'\(language)' block does not look like commands (a diagram or output?); it yields no steps. Label it ```text, or ```\(language) {skip}"
                )
            }
        }
        // Notes and output: the routing tables they document, under the command that printed them.
        var taken: [Int] = []
        if steps.count == first { taken = tablesInNotes(lines, block: block) }
        if steps.count == first || !taken.isEmpty, diagnostics.last.map({ $0.location.line < block.line }) ?? true,
            let line = taken.isEmpty
                ? Self.firstCommandLine(lines)
                : lines.indices.first(where: { !taken.contains($0) && Self.firstCommandLine([lines[$0]]) != nil })
        {
            let command = lines[line].trimmingSpaces.prefix(40)
            warn(
                block.contentLine + line,
                taken.isEmpty
                    ? "this block yields no steps although '\(command)' reads as a command: too few of its lines do (label the block ```sh to run them, or ```text if it is output)"
                    : "this block is read as notes, of which only the routing tables under their commands are steps; '\(command)' reads as a command but is not run (label the block ```sh to run its commands)"
            )
        }
        guard let attributes else { return }
        for index in first..<steps.count {
            if attributes.audit, case .command(var command) = steps[index].action {
                command.isAuditable = true
                steps[index].action = .command(command)
            }
            if let host = attributes.host { steps[index].host = host }
            if let user = attributes.user { steps[index].user = user }
            if let cwd = attributes.cwd { steps[index].cwd = cwd }
        }
    }
}

extension String {
    package var trimmingSpacesString: String {
        guard let first = utf8.first, let last = utf8.last, Bytes.isBlank(first) || Bytes.isBlank(last) else {
            return self
        }
        return String(Substring(self).trimmingSpaces)
    }
}
