import Yams

/// YAML front matter of a runbook (Jekyll/Hugo style, as blog posts carry it).
///
/// It must be cut out before libcmark sees the text: cmark reads the opening `---` as a thematic
/// break and the closing one as a setext underline, turning the YAML into a heading.
public struct FrontMatter: Sendable {
    /// The YAML text, kept rather than the composed tree (which is not `Sendable`); features that
    /// read settings from it (targets, vars, lab) compose what they need.
    public let yaml: String
    public let title: String?
    /// Lines the front matter occupies, both fences included.
    public let lineCount: Int

    /// Splits `text` into its front matter and the body after it; the body starts at file line
    /// `lineCount + 1` (1 without front matter). The body is a slice, not a copy: a large
    /// runbook is megabytes.
    public static func split(_ text: String, file: String) throws(Diagnostic) -> (FrontMatter?, body: Substring) {
        guard text.hasPrefix("---") else { return (nil, text[...]) }
        var lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        guard trimmed(lines[0]) == "---" else { return (nil, text[...]) }
        var yamlLines: [Substring] = []
        var rest = lines.count > 1 ? lines[1] : ""
        var closed = false
        while !rest.isEmpty {
            lines = rest.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            rest = lines.count > 1 ? lines[1] : ""
            let line = trimmed(lines[0])
            if line == "---" || line == "..." {
                closed = true
                break
            }
            yamlLines.append(lines[0])
        }
        guard closed else {
            throw .error(file, 1, "front matter opened with '---' here is never closed: end it with a line '---' (or '...')")
        }
        let yaml = yamlLines.map { trimmed($0, keepLeading: true) }.joined(separator: "\n")
        let node: Yams.Node
        do {
            node = try Yams.compose(yaml: yaml) ?? .mapping([:])
        } catch let error as YamlError {
            throw .error(file, 1 + line(of: error), "invalid YAML in front matter: \(problem(of: error))")
        } catch {
            throw .error(file, 1, "invalid YAML in front matter: \(error)")
        }
        guard let mapping = node.mapping else {
            throw .error(file, 2, "front matter must be a YAML mapping (key: value lines)")
        }
        let lineCount = yamlLines.count + 2
        let matter = FrontMatter(yaml: yaml, title: mapping["title"]?.string, lineCount: lineCount)
        return (matter, rest)
    }

    private static func trimmed(_ line: Substring, keepLeading: Bool = false) -> Substring {
        var line = line
        while let last = line.last, last == " " || last == "\t" || last == "\r" { line.removeLast() }
        if !keepLeading {
            while let first = line.first, first == " " || first == "\t" { line.removeFirst() }
        }
        return line
    }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return 1
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            return context.map { "\(problem) (\($0.text))" } ?? problem
        default:
            return "\(error)"
        }
    }
}
