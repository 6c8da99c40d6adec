/// A Markdown runbook read into typed steps: the model every command (plan, exec, export, audit,
/// lab) works from.
/// The version of runbook, and of the libcmark it reads with.
public enum RunbookVersion {
    public static let number = "0.6.0"
    public static var description: String { "runbook \(number) (libcmark \(CMarkConverter.libraryVersion))" }
}

public struct Runbook: Sendable {
    public var file: String
    public var title: String?
    public var frontMatter: FrontMatter?
    /// Front matter `vars:` overridden by `--set`: known before anything runs, so the steps were
    /// typed with them (see `Step.variables`), and commands get them as environment variables.
    public var variables: [String: String] = [:]
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

    /// The steps by the host they name, hosts in order of first appearance and the steps that
    /// name none under `nil`; only `host`'s when one is given. What a per-host export (a shell
    /// function, a play) is made of.
    public func stepsByHost(only host: String? = nil) -> [(host: String?, steps: [Step])] {
        var groups: [(host: String?, steps: [Step])] = []
        for step in steps where host == nil || step.host == host {
            if let index = groups.lastIndex(where: { $0.host == step.host }) {
                groups[index].steps.append(step)
            } else {
                groups.append((step.host, [step]))
            }
        }
        return groups
    }

    /// Reading a runbook failed; `diagnostics` holds every error found (and the warnings), so
    /// that a user fixes them all in one pass rather than one per run.
    public struct ParseFailure: Error, Sendable {
        public var diagnostics: [Diagnostic]
    }

    /// `overrides` are the `--set` values, over the front matter's `vars:`.
    public static func load(path: String, overrides: [String: String] = [:]) throws(ParseFailure) -> Runbook {
        let text: String
        do {
            text = try SourceText.load(path: path)
        } catch {
            throw ParseFailure(diagnostics: [error])
        }
        return try parse(markdown: text, file: path, overrides: overrides)
    }

    public static func parse(
        markdown: String, file: String, overrides: [String: String] = [:]
    ) throws(ParseFailure) -> Runbook {
        try parse(markdown: markdown, file: file, minimumPart: SectionSplit.minimumPart, overrides: overrides)
    }

    /// `minimumPart` is the smallest part a document is cut into (see `SectionSplit`); tests
    /// lower it to cut small documents.
    package static func parse(
        markdown: String, file: String, minimumPart: Int, overrides: [String: String] = [:]
    ) throws(ParseFailure) -> Runbook {
        let frontMatter: FrontMatter?
        var body: Substring
        do {
            (frontMatter, body) = try FrontMatterDecoder.split(markdown, file: file)
        } catch {
            throw ParseFailure(diagnostics: [error])
        }
        var variables: [String: String] = [:]
        for variable in frontMatter?.variables ?? [] { variables[variable.name] = variable.value }
        variables.merge(overrides) { $1 }
        // A large document is cut at top-level headings and each part read on its own core:
        // a part is a run of whole sections, so nothing read in one depends on another but
        // the steps' numbers, given out when the parts are joined.
        var sections = body.withUTF8 { text in
            let parts = SectionSplit.split(text, parts: 4 * Platform.processorCount, minimumPart: minimumPart)
            let frontMatterLines = frontMatter?.lineCount ?? 0
            return parallelMap(parts.count) { index in
                RunbookReader(
                    Document.parse(
                        utf8: UnsafeBufferPointer(rebasing: text[parts[index].range]),
                        lineOffset: frontMatterLines + parts[index].lineOffset), file: file, variables: variables)
            }
        }
        var steps = parallelJoin(
            sections.indices.map { index in
                defer { sections[index].steps = [] }
                return sections[index].steps
            },
            placeholder: Step(
                index: 0, line: 0, section: nil, host: nil, cwd: nil, user: nil,
                action: .command(Command(text: "", expect: nil))))
        var marks: [(step: Int, file: String?)] = []
        var unfiled: [Int] = []
        var hostMarks: [(step: Int, name: String?, inherited: String?)] = []
        var offset = 0
        for part in sections {
            marks += part.namedConfigFiles.map { (offset + $0.step, $0.file) }
            unfiled += part.fileLinesWithoutFile.map { offset + $0 }
            hostMarks += part.namedHosts.map { (offset + $0.step, $0.name, $0.inherited) }
            offset += part.stepCount
        }
        if !hostMarks.isEmpty {
            RunbookReader.nameHosts(&steps, marks: hostMarks, roles: frontMatter?.targets.map(\.role) ?? [])
        }
        if !marks.isEmpty, !unfiled.isEmpty {
            RunbookReader.fileUnnamedSettings(&steps, at: unfiled, marks: marks)
        }
        for index in steps.indices { steps[index].index = index + 1 }
        let diagnostics = sections.flatMap(\.diagnostics)
        if diagnostics.contains(where: { $0.severity == .error }) {
            throw ParseFailure(diagnostics: diagnostics)
        }
        let firstHeading = sections.lazy.compactMap(\.firstHeading).first
        var runbook = Runbook(
            file: file, title: frontMatter?.title ?? firstHeading, frontMatter: frontMatter, variables: variables,
            steps: steps, warnings: diagnostics)
        runbook.otherBlocks = sections.flatMap(\.otherBlocks)
        return runbook
    }
}
