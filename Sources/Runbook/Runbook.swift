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
        var seen: Set<String> = []
        return steps.compactMap(\.host).filter { seen.insert($0).inserted }
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
    static let startingStateWords = ["may ", "might ", "before", "for example", "e.g.", "typically", "可能", "之前", "例如"]
        .map { Array($0.utf8) }

    static func presentsStartingState(_ paragraph: String) -> Bool {
        Bytes.containsAny(paragraph, of: startingStateWords)
    }

    public static func parse(markdown: String, file: String) throws(ParseFailure) -> Runbook {
        let frontMatter: FrontMatter?
        let body: String
        do {
            (frontMatter, body) = try FrontMatter.split(markdown, file: file)
        } catch {
            throw ParseFailure(diagnostics: [error])
        }
        let document = Document.parse(markdown: body)
        var codeBlocks: [(block: Document.CodeBlock, persist: String?, precondition: Bool)] = []
        var previous: Document.Block? = nil
        for block in document.blocks {
            if case .codeBlock(let code) = block {
                var persist: String? = nil
                var precondition = false
                if case .paragraph(let paragraph)? = previous {
                    persist = paragraph.codeSpans.first(where: SysctlSetting.isConfigFile)
                    precondition = presentsStartingState(paragraph.text)
                }
                codeBlocks.append((code, persist, precondition))
            }
            previous = block
        }
        let classified = parallelMap(codeBlocks.count) {
            BlockClassifier.classify(codeBlocks[$0].block, persistHint: codeBlocks[$0].persist,
                                     precondition: codeBlocks[$0].precondition, file: file)
        }

        var steps: [Step] = []
        steps.reserveCapacity(classified.reduce(0) { $0 + $1.drafts.count })
        var diagnostics: [Diagnostic] = []
        var section: String? = nil
        var firstHeading: String? = nil
        var blockIndex = 0
        // Rule 6: a step without a host of its own inherits the host of the step before it in
        // the same section (the prose says "on the director" once, then shows several blocks).
        var sectionHost: String? = nil
        for block in document.blocks {
            switch block {
            case .heading(let heading):
                section = heading.text
                sectionHost = nil
                if firstHeading == nil { firstHeading = heading.text }
            case .paragraph:
                break
            case .codeBlock:
                let result = classified[blockIndex]
                blockIndex += 1
                diagnostics += result.diagnostics
                for draft in result.drafts {
                    let host = draft.host ?? sectionHost
                    sectionHost = host
                    steps.append(Step(index: steps.count + 1, line: draft.line, section: section, host: host,
                                      cwd: draft.cwd, user: draft.user, action: draft.action))
                }
            }
        }
        if diagnostics.contains(where: { $0.severity == .error }) {
            throw ParseFailure(diagnostics: diagnostics)
        }
        var runbook = Runbook(file: file, title: frontMatter?.title ?? firstHeading, frontMatter: frontMatter,
                              steps: steps, warnings: diagnostics)
        runbook.otherBlocks = zip(codeBlocks, classified).filter { $0.1.drafts.isEmpty }.map(\.0.block)
        return runbook
    }
}
