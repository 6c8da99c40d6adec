/// A Markdown runbook read into typed steps: the model every command (plan, exec, export, audit,
/// lab) works from.
public struct Runbook: Sendable {
    public var file: String
    public var title: String?
    public var frontMatter: FrontMatter?
    public var steps: [Step]
    /// Warnings found while reading; errors are thrown as `ParseFailure` instead.
    public var warnings: [Diagnostic]
    /// Code blocks that yielded no steps (diagrams, config files): where `runbook lab` looks
    /// for the architecture diagram.
    public var otherBlocks: [Document.CodeBlock] = []

    /// The hosts that steps name, in order of first appearance.
    public var hosts: [String] {
        var hosts: [String] = []
        var seen: Set<String>? = nil
        var previous: String? = nil
        // Consecutive steps mostly share their host, and a runbook names a handful of hosts:
        // compare, and hash only when there are many.
        for index in steps.indices where steps[index].host != previous {
            previous = steps[index].host
            guard let host = previous else { continue }
            if seen == nil, hosts.count > 32 { seen = Set(hosts) }
            if seen?.insert(host).inserted ?? !hosts.contains(host) { hosts.append(host) }
        }
        return hosts
    }

    /// Reading a runbook failed; `diagnostics` holds every error found (and the warnings), so
    /// that a user fixes them all in one pass rather than one per run.
    public struct ParseFailure: Error, Sendable {
        public var diagnostics: [Diagnostic]
    }

    public static func load(path: String) throws(ParseFailure) -> Runbook {
        let text: String
        do {
            text = try SourceText.load(path: path)
        } catch {
            throw ParseFailure(diagnostics: [error])
        }
        return try parse(markdown: text, file: path)
    }

    /// Words with which prose introduces a state that may or may not hold ("before the change
    /// its table may look like this", "默认设置之后，可能…是以下状态").
    package static let startingStateWords = ["may ", "might ", "before", "for example", "e.g.", "typically", "可能", "之前", "例如"]
        .map { Array($0.utf8) }

    package static func presentsStartingState(_ paragraph: String) -> Bool {
        Bytes.containsAny(paragraph, of: startingStateWords)
    }

    public static func parse(markdown: String, file: String) throws(ParseFailure) -> Runbook {
        try parse(markdown: markdown, file: file, minimumPart: SectionSplit.minimumPart)
    }

    /// `minimumPart` is the smallest part a document is cut into (see `SectionSplit`); tests
    /// lower it to cut small documents.
    package static func parse(markdown: String, file: String, minimumPart: Int) throws(ParseFailure) -> Runbook {
        let frontMatter: FrontMatter?
        var body: Substring
        do {
            (frontMatter, body) = try FrontMatter.split(markdown, file: file)
        } catch {
            throw ParseFailure(diagnostics: [error])
        }
        // A large document is cut at top-level headings and each part read on its own core:
        // a part is a run of whole sections, so nothing read in one depends on another but
        // the steps' numbers, given out when the parts are joined.
        var sections = body.withUTF8 { text in
            let parts = SectionSplit.split(text, parts: 4 * Platform.processorCount, minimumPart: minimumPart)
            let frontMatterLines = frontMatter?.lineCount ?? 0
            return parallelMap(parts.count) { index in
                Sections(Document.parse(utf8: UnsafeBufferPointer(rebasing: text[parts[index].range]),
                                        lineOffset: frontMatterLines + parts[index].lineOffset), file: file)
            }
        }
        var steps = parallelJoin(sections.indices.map { index in
            defer { sections[index].steps = [] }
            return sections[index].steps
        }, placeholder: Step(index: 0, line: 0, section: nil, host: nil, cwd: nil, user: nil, action: .command(Command(text: "", expect: nil))))
        for index in steps.indices { steps[index].index = index + 1 }
        let diagnostics = sections.flatMap(\.diagnostics)
        if diagnostics.contains(where: { $0.severity == .error }) {
            throw ParseFailure(diagnostics: diagnostics)
        }
        let firstHeading = sections.lazy.compactMap(\.firstHeading).first
        var runbook = Runbook(file: file, title: frontMatter?.title ?? firstHeading, frontMatter: frontMatter,
                              steps: steps, warnings: diagnostics)
        runbook.otherBlocks = sections.flatMap(\.otherBlocks)
        return runbook
    }

    /// The steps of a run of whole sections, before they are numbered.
    private struct Sections {
        package var steps: [Step] = []
        package var diagnostics: [Diagnostic] = []
        package var otherBlocks: [Document.CodeBlock] = []
        package var firstHeading: String?

        package init(_ document: Document, file: String) {
            var classifier = BlockClassifier(file: file)
            // Most blocks yield one to three steps; growing the array by doubling would copy
            // every step several times.
            classifier.steps.reserveCapacity(4 * document.blocks.count { if case .codeBlock = $0 { true } else { false } })
            var section: String? = nil
            // Rule 6: a step without a host of its own inherits the host of the step before it
            // in the same section (the prose says "on the director" once, then shows several
            // blocks).
            var sectionHost: String? = nil
            // The sysctl file the section is about, named in prose ("edit /etc/sysctl.conf:")
            // or opened in an editor by an earlier block: a config block without a file of its
            // own belongs there.
            var sectionConfigFile: String? = nil
            // The last one an earlier section named: tuning posts name the file once, in
            // their "how to change it" section, and list settings under later headings.
            var documentConfigFile: String? = nil
            // Settings of config blocks that named no file: `sysctl -p [FILE]` later in the
            // section says which file they were meant for.
            var unfiled: [Int] = []
            // Blocks are looked at where they are, by position: binding them copies them.
            for position in document.blocks.indices {
                switch document.blocks[position] {
                case .heading(let heading):
                    section = heading.text
                    sectionHost = nil
                    // Up to the next top-level heading, where a large document may be cut
                    // into parts read on their own (see SectionSplit).
                    documentConfigFile = heading.level == 1 ? nil : sectionConfigFile ?? documentConfigFile
                    sectionConfigFile = nil
                    unfiled.removeAll()
                    if firstHeading == nil { firstHeading = heading.text }
                case .paragraph(let paragraph):
                    if let file = SysctlSetting.configFile(inProse: paragraph.text) { sectionConfigFile = file }
                case .codeBlock(let code):
                    var persist: String? = nil
                    var precondition = false
                    if position > 0, case .paragraph(let paragraph) = document.blocks[position - 1] {
                        persist = paragraph.codeSpans.first(where: SysctlSetting.isConfigFile)
                        precondition = presentsStartingState(paragraph.text)
                    }
                    // A first line `# /etc/sysctl.conf` names the file the block is.
                    if persist == nil, code.literal.utf8.first == UInt8(ascii: "#"),
                       let file = SysctlSetting.configFile(inProse: String(code.literal.prefix { $0 != "\n" })) {
                        persist = file
                    }
                    let added = classifier.classify(code, persistHint: persist ?? sectionConfigFile ?? documentConfigFile, precondition: precondition)
                    if let edited = classifier.editedConfigFile.take() {
                        sectionConfigFile = edited
                    } else if let named = SysctlSetting.configFile(inProse: code.literal) {
                        // `#永久生效-需要修改: /etc/sysctl.conf`, `cat /etc/sysctl.d/k8s.conf`.
                        sectionConfigFile = named
                    }
                    for index in added {
                        switch classifier.steps[index].action {
                        case .sysctl(let setting) where setting.persist == nil && setting.command == nil:
                            unfiled.append(index)
                        case .command(let command):
                            guard !unfiled.isEmpty, let file = SysctlSetting.loadedFile(command.text) else { continue }
                            for settingIndex in unfiled {
                                guard case .sysctl(var setting) = classifier.steps[settingIndex].action else { continue }
                                setting.persist = file
                                classifier.steps[settingIndex].action = .sysctl(setting)
                            }
                            unfiled.removeAll()
                        default:
                            break
                        }
                    }
                    if added.isEmpty { otherBlocks.append(code) }
                    for index in added {
                        classifier.steps[index].section = section
                        if classifier.steps[index].host == nil {
                            classifier.steps[index].host = sectionHost
                        } else {
                            sectionHost = classifier.steps[index].host
                        }
                    }
                }
            }
            steps = classifier.steps
            diagnostics = classifier.diagnostics
        }
    }
}
