/// Reads a run of whole sections into steps, before they are numbered: the document-level pass
/// that links blocks to what is around them (the heading's host, the file the prose names, the
/// paragraph that presents output as a starting state) and hands each block to the
/// `BlockClassifier`.
struct RunbookReader {
    var steps: [Step] = []
    var diagnostics: [Diagnostic] = []
    var otherBlocks: [Document.CodeBlock] = []
    var firstHeading: String?
    /// Where a section that named a sysctl file ended (the file), and where a top-level heading
    /// stands (nil), by step position in this part.
    var namedConfigFiles: [(step: Int, file: String?)] = []
    /// Positions of the settings read as file lines with no file named (see `BlockClassifier`).
    var fileLinesWithoutFile: [Int] = []
    /// Hosts that headings and labels name for the steps after them (`HostLabel`), with the
    /// host those steps would otherwise inherit, by step position; a nil name where a heading
    /// ends such a run. Checked against the hosts the whole document uses once the parts are
    /// joined (`nameHosts`).
    var namedHosts: [(step: Int, name: String?, inherited: String?)] = []
    /// Steps read, kept when they are moved out to be joined.
    var stepCount = 0

    init(_ document: Document, file: String, variables: [String: String] = [:]) {
        var classifier = BlockClassifier(file: file)
        classifier.variables = variables
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
        // Blocks are looked at where they are, by position: binding them copies them.
        for position in document.blocks.indices {
            switch document.blocks[position] {
            case .heading(let heading):
                section = heading.text
                sectionHost = nil
                if let name = HostLabel.candidate(heading.text) {
                    namedHosts.append((classifier.steps.count, String(name), nil))
                } else if namedHosts.last?.name != nil {
                    namedHosts.append((classifier.steps.count, nil, nil))
                }
                if let file = sectionConfigFile { namedConfigFiles.append((classifier.steps.count, file)) }
                if heading.level == 1 { namedConfigFiles.append((classifier.steps.count, nil)) }
                sectionConfigFile = nil
                classifier.unfiledSettings.removeAll()
                classifier.sectionStart = classifier.steps.count
                if firstHeading == nil { firstHeading = heading.text }
            case .paragraph(let paragraph):
                if let file = SysctlSetting.configFile(inProse: paragraph.text) { sectionConfigFile = file }
                // "RS1:", "On the director, run:": the blocks after it run there, if the name
                // is a host's (decided on the whole document), else where they would have.
                if let name = HostLabel.candidate(paragraph.text) {
                    namedHosts.append((classifier.steps.count, String(name), sectionHost))
                    sectionHost = nil
                } else if namedHosts.last?.name != nil, HostLabel.isLabel(paragraph.text) {
                    namedHosts.append((classifier.steps.count, nil, nil))
                }
            case .codeBlock(let code):
                var persist: String? = nil
                var precondition = false
                if position > 0, case .paragraph(let paragraph) = document.blocks[position - 1] {
                    persist = paragraph.codeSpans.first(where: SysctlSetting.isConfigFile)
                    precondition = Self.presentsStartingState(paragraph.text)
                }
                var added = classifier.classify(
                    code, persistHint: persist ?? sectionConfigFile, precondition: precondition)
                // Output shown after a paragraph that ends with the command that printed it.
                if added.isEmpty, position > 0, case .paragraph(let paragraph) = document.blocks[position - 1] {
                    added = classifier.tableAfterProse(paragraph, block: code)
                }
                // `vi /etc/sysctl.conf`, `#永久生效-需要修改: /etc/sysctl.conf`.
                if let named = classifier.editedConfigFile.take() ?? classifier.mentionedConfigFile.take() {
                    sectionConfigFile = named
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
        // The next part starts at a heading, which ends what a label named.
        if namedHosts.last?.name != nil { namedHosts.append((classifier.steps.count, nil, nil)) }
        // The next part starts at a heading that cannot see this section's file.
        if let file = sectionConfigFile { namedConfigFiles.append((classifier.steps.count, file)) }
        steps = classifier.steps
        stepCount = steps.count
        diagnostics = classifier.diagnostics
        fileLinesWithoutFile = classifier.fileLinesWithoutFile
    }

    /// Tuning posts name the sysctl file once, in their "how to change it" section, and list
    /// settings under later headings: settings of file lines left without a file take the one
    /// the last section that named one named, up to the next top-level heading. Done on the
    /// joined steps, with the sections' marks (step position, file, or nil for a top-level
    /// heading), because a large document is read in parts cut at headings (see SectionSplit)
    /// and a part cannot see what the sections before it named.
    static func fileUnnamedSettings(_ steps: inout [Step], at positions: [Int], marks: [(step: Int, file: String?)]) {
        var current: String? = nil
        var next = 0
        for index in positions {
            while next < marks.count, marks[next].step <= index {
                current = marks[next].file
                next += 1
            }
            guard let file = current, case .sysctl(var setting) = steps[index].action, setting.persist == nil else {
                continue
            }
            setting.persist = file
            steps[index].action = .sysctl(setting)
        }
    }

    /// Gives the steps after each heading or label that names a host (up to the next one, or a
    /// step with a host of its own) that host, when the document uses it elsewhere (`known`,
    /// lower-cased: its prompts' hosts and front matter roles) or it is a role noun; else the
    /// host they would have inherited.
    static func nameHosts(
        _ steps: inout [Step], marks: [(step: Int, name: String?, inherited: String?)], roles: [String]
    ) {
        var known = Set(roles.map { $0.lowercased() })
        var previous: String? = nil
        for index in steps.indices where steps[index].host != previous {
            previous = steps[index].host
            if let host = previous { known.insert(host.lowercased()) }
        }
        for (offset, mark) in marks.enumerated() {
            let accepted = mark.name.flatMap { known.contains($0.lowercased()) || HostLabel.isRole($0[...]) ? $0 : nil }
            guard let host = accepted ?? mark.inherited else { continue }
            let end = offset + 1 < marks.count ? marks[offset + 1].step : steps.count
            for index in mark.step..<end {
                guard steps[index].host == nil else { break }
                steps[index].host = host
            }
        }
    }

    /// Words with which prose introduces a state that may or may not hold ("before the change
    /// its table may look like this", "默认设置之后，可能…是以下状态").
    package static let startingStateWords = [
        "may ", "might ", "before", "for example", "e.g.", "typically", "可能", "之前", "例如",
    ]
    .map { Array($0.utf8) }

    package static func presentsStartingState(_ paragraph: String) -> Bool {
        Bytes.containsAny(paragraph, of: startingStateWords)
    }
}
