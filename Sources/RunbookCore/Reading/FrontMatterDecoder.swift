import Yams

/// Cuts the front matter off a runbook and decodes it: the only code that reads YAML.
///
/// It must be cut out before libcmark sees the text: cmark reads the opening `---` as a thematic
/// break and the closing one as a setext underline, turning the YAML into a heading.
enum FrontMatterDecoder {
    /// A YAML document other than front matter (an Ansible inventory), as a tree with lines,
    /// so that Yams stays in this file.
    static func tree(_ text: String, file: String) throws(Diagnostic) -> YAMLTree {
        let root: Node
        do {
            root = try Yams.compose(yaml: text) ?? .mapping([:])
        } catch let error as YamlError {
            throw .error(file, line(of: error), "invalid YAML: \(problem(of: error))")
        } catch {
            throw .error(file, 1, "invalid YAML: \(error)")
        }
        return YAMLTree(root)
    }

    /// Splits `text` into its front matter and the body after it; the body starts at file line
    /// `lineCount + 1` (1 without front matter). The body is a slice, not a copy: a large
    /// runbook is megabytes. Lines may end in CRLF (a `Character` then spans both bytes).
    static func split(_ text: String, file: String) throws(Diagnostic) -> (FrontMatter?, body: Substring) {
        guard text.hasPrefix("---") else { return (nil, text[...]) }
        var rest = text[...]
        func nextLine() -> Substring? {
            guard !rest.isEmpty else { return nil }
            let end = rest.firstIndex(where: \.isNewline) ?? rest.endIndex
            let line = rest[..<end]
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            return line
        }
        guard let opening = nextLine(), trimmed(opening) == "---" else { return (nil, text[...]) }
        var yamlLines: [Substring] = []
        var closed = false
        while let line = nextLine() {
            if trimmed(line) == "---" || trimmed(line) == "..." {
                closed = true
                break
            }
            yamlLines.append(line)
        }
        guard closed else {
            throw .error(
                file, 1, "front matter opened with '---' here is never closed: end it with a line '---' (or '...')")
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
        var matter = FrontMatter(title: mapping["title"]?.string, lineCount: yamlLines.count + 2)
        let decoder = Decoder(file: file)
        if let targets = mapping["targets"] { matter.targets = try decoder.targets(targets) }
        if let variables = mapping["vars"] { matter.variables = try decoder.variables(variables) }
        if let lab = mapping["lab"] { matter.lab = try decoder.lab(lab) }
        return (matter, rest)
    }

    /// Reads the sections runbook acts on, each error at the line of the node it is about.
    private struct Decoder {
        let file: String

        /// The file line of a node: the YAML starts on the line after the opening `---`.
        func line(_ node: Node) -> Int { 1 + (node.mark?.line ?? 1) }

        func targets(_ node: Node) throws(Diagnostic) -> [FrontMatter.RoleTargets] {
            guard let mapping = node.mapping else {
                throw .error(file, line(node), "front matter 'targets:' must map roles to targets (director: local)")
            }
            var roles: [FrontMatter.RoleTargets] = []
            for (key, value) in mapping {
                guard let role = key.string, !role.isEmpty else {
                    throw .error(file, line(key), "front matter 'targets:' has a role that is not a name")
                }
                let texts = value.sequence.map { $0.compactMap(\.string) } ?? value.string.map { [$0] } ?? []
                guard !texts.isEmpty, texts.count == (value.sequence?.count ?? 1) else {
                    throw .error(
                        file, line(value),
                        "front matter 'targets:' gives role '\(role)' no target, or one that is not text")
                }
                roles.append(FrontMatter.RoleTargets(role: role, targets: texts, line: line(key)))
            }
            return roles
        }

        func variables(_ node: Node) throws(Diagnostic) -> [FrontMatter.Variable] {
            guard let mapping = node.mapping else {
                throw .error(file, line(node), "front matter 'vars:' must map names to values")
            }
            var variables: [FrontMatter.Variable] = []
            for (key, value) in mapping {
                // The name is exported to the shells that run the steps: only a shell
                // identifier stays a name there.
                guard let name = key.string, ShellQuote.isIdentifier(name) else {
                    throw .error(
                        file, line(key),
                        "front matter 'vars:' name '\(key.string ?? "?")' is not a shell identifier ([A-Za-z_][A-Za-z0-9_]*)"
                    )
                }
                guard let text = value.string else {
                    throw .error(file, line(value), "front matter 'vars:' value of \(name) must be text")
                }
                variables.append(FrontMatter.Variable(name: name, value: text, line: line(key)))
            }
            return variables
        }

        func lab(_ node: Node) throws(Diagnostic) -> FrontMatter.LabDeclaration {
            let usage =
                "lab: needs hosts: a list of {name, [role], addresses: [\"ADDRESS/LEN [DEVICE[:LABEL]]\"], [routes: [...]], [listen: [\"80/tcp\"]], [sysctls: [\"net.KEY=VALUE\"]]}"
            guard let entries = node.mapping?["hosts"]?.sequence else { throw .error(file, line(node), usage) }
            var hosts: [FrontMatter.LabDeclaration.Host] = []
            for entry in entries {
                guard let name = entry.mapping?["name"]?.string, let addresses = texts(entry.mapping?["addresses"]),
                    !addresses.isEmpty
                else {
                    throw .error(file, line(entry), usage)
                }
                var host = FrontMatter.LabDeclaration.Host(
                    name: name, role: entry.mapping?["role"]?.string ?? name, addresses: addresses, line: line(entry))
                for (key, list) in [
                    ("routes", \FrontMatter.LabDeclaration.Host.routes), ("listen", \.listen), ("sysctls", \.sysctls),
                ] {
                    guard let value = entry.mapping?[key] else { continue }
                    guard let items = texts(value) else {
                        throw .error(file, line(value), "lab host \(name): '\(key):' must be a list of texts")
                    }
                    host[keyPath: list] = items
                }
                hosts.append(host)
            }
            var lab = FrontMatter.LabDeclaration(
                service: node.mapping?["service"]?.string, hosts: hosts, line: line(node))
            for entry in node.mapping?["probes"]?.sequence ?? [] { lab.probes.append(try probe(entry)) }
            for entry in node.mapping?["counters"]?.sequence ?? [] { lab.counters.append(try counter(entry)) }
            return lab
        }

        /// `{from: a, to: "192.168.20.2:80" | ping: 192.168.20.2, [count: 6], expect: {before: failed, after: answered}}`
        func probe(_ node: Node) throws(Diagnostic) -> FrontMatter.LabDeclaration.Probe {
            let usage =
                "a lab probe is {from: HOST, to: \"ADDRESS:PORT\" or ping: ADDRESS, [count: N], expect: {[before: OUTCOME], [after: OUTCOME]}}, OUTCOME being answered, failed or rotates"
            guard let mapping = node.mapping, let from = mapping["from"]?.string,
                (mapping["to"]?.string == nil) != (mapping["ping"]?.string == nil)
            else { throw .error(file, line(node), usage) }
            let count = mapping["count"].map { $0.int } ?? 1
            guard let count, (1...64).contains(count) else {
                throw .error(file, line(node), "a lab probe's count must be 1 to 64")
            }
            let expect = mapping["expect"]?.mapping
            var outcomes: [FrontMatter.LabDeclaration.Outcome?] = []
            for key in ["before", "after"] {
                guard let text = expect?[key]?.string else {
                    outcomes.append(nil)
                    continue
                }
                guard let outcome = FrontMatter.LabDeclaration.Outcome(rawValue: text) else {
                    throw .error(file, line(node), usage)
                }
                outcomes.append(outcome)
            }
            guard outcomes.contains(where: { $0 != nil }) else { throw .error(file, line(node), usage) }
            return .init(
                from: from, to: mapping["to"]?.string, ping: mapping["ping"]?.string, count: count,
                before: outcomes[0], after: outcomes[1], line: line(node))
        }

        /// `{host: director, name: IcmpOutRedirects, [before: N], [after: N]}`
        func counter(_ node: Node) throws(Diagnostic) -> FrontMatter.LabDeclaration.Counter {
            guard let mapping = node.mapping, let host = mapping["host"]?.string, let name = mapping["name"]?.string,
                mapping["before"] != nil || mapping["after"] != nil
            else {
                throw .error(file, line(node), "a lab counter is {host: HOST, name: COUNTER, [before: N], [after: N]}")
            }
            return .init(
                host: host, name: name, before: mapping["before"]?.int, after: mapping["after"]?.int, line: line(node))
        }

        /// A list of texts, or nil when it is not one.
        private func texts(_ node: Node?) -> [String]? {
            guard let items = node?.sequence else { return nil }
            let texts = items.compactMap(\.string)
            return texts.count == items.count ? texts : nil
        }
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

/// A parsed YAML node with the file line it starts on: scalars as text, mappings in order.
struct YAMLTree {
    enum Value {
        case null
        case scalar(String)
        case mapping([(key: YAMLTree, value: YAMLTree)])
        case sequence([YAMLTree])
    }

    var value: Value
    var line: Int

    fileprivate init(_ node: Node) {
        line = node.mark?.line ?? 1
        if node.null != nil {
            value = .null
        } else if let mapping = node.mapping {
            value = .mapping(mapping.map { (YAMLTree($0.key), YAMLTree($0.value)) })
        } else if let sequence = node.sequence {
            value = .sequence(sequence.map(YAMLTree.init))
        } else {
            value = .scalar(node.string ?? "")
        }
    }

    var string: String? { if case .scalar(let text) = value { text } else { nil } }
    var isNull: Bool { if case .null = value { true } else { false } }
    var mapping: [(key: YAMLTree, value: YAMLTree)]? { if case .mapping(let pairs) = value { pairs } else { nil } }
}
