import RunbookCore

/// The reports of `runbook audit`: text for people, JSON for scripts, JUnit XML for CI systems.
public struct AuditReport: ColoredText {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, junit
    }

    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    public func render(_ findings: [AuditFinding], as format: Format) -> String {
        switch format {
        case .text: text(findings)
        case .json: json(findings)
        case .junit: junit(findings)
        }
    }

    /// Per host and target, one line per finding with the doc's `file:line`, then what differs.
    public func text(_ findings: [AuditFinding]) -> String {
        var out = ""
        var group = ""
        for finding in findings {
            let name = "\(finding.host ?? PlanRenderer.unassigned) on \(finding.target)"
            if name != group {
                out += (out.isEmpty ? "" : "\n") + paint(name, "1;36") + "\n"
                group = name
            }
            out +=
                "  \(paint("\(finding.file):\(finding.line):", "2")) \(paint(finding.verdict.rawValue, color(of: finding.verdict)))  "
            out += "\(finding.kind.rawValue) \(finding.subject.split(separator: "\n").first.map(String.init) ?? "")"
            if finding.kind == .sysctl || finding.kind == .persisted, finding.verdict != .ok {
                out += ": expected \(finding.expected ?? "-"), actual \(finding.actual ?? "-")"
            }
            out += "\n"
            if finding.verdict != .ok, let detail = finding.detail {
                for line in detail.split(separator: "\n") { out += "      \(colorDiff(line))\n" }
            }
        }
        let problems = findings.filter(\.verdict.isProblem).count
        let counts = [AuditFinding.Verdict.ok, .drift, .ineffective, .overridden, .notAudited].map { verdict in
            "\(findings.filter { $0.verdict == verdict }.count) \(verdict.rawValue)"
        }
        out +=
            "\n"
            + (problems == 0
                ? paint("the targets match the runbook", "32")
                : paint("\(problems) finding(s) differ from the runbook", "1;31"))
        out += " (\(counts.joined(separator: ", ")))\n"
        return out
    }

    /// One object per finding.
    public func json(_ findings: [AuditFinding]) -> String {
        var writer = JSONWriter()
        writer.beginArray()
        for finding in findings {
            writer.beginObject()
            writer.field("host", finding.host)
            writer.field("target", finding.target.description)
            writer.field("kind", finding.kind.rawValue)
            writer.field("subject", finding.subject)
            writer.field("expected", finding.expected)
            writer.field("actual", finding.actual)
            writer.field("verdict", finding.verdict.rawValue)
            writer.field("detail", finding.detail)
            writer.field("file", finding.file)
            writer.field("line", finding.line)
            writer.endObject()
        }
        writer.endArray()
        return String(decoding: writer.bytes, as: UTF8.self) + "\n"
    }

    /// A test suite per host and target, a test case per finding; drift, ineffective and
    /// overridden values are failures, commands runbook does not re-run are skipped.
    public func junit(_ findings: [AuditFinding]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out +=
            "<testsuites name=\"runbook audit\" tests=\"\(findings.count)\" failures=\"\(findings.filter(\.verdict.isProblem).count)\" errors=\"0\">\n"
        return out + testSuites(findings) + "</testsuites>\n"
    }

    /// The `<testsuite>` elements of `junit`, for reports that hold findings among other cases:
    /// one per host and target, named so and with the target as `hostname`, each finding a case
    /// of class `runbook.HOST` whose name holds its line, kind and subject (so that two targets
    /// of one role that differ are two distinct cases), with the `file:line` in every message.
    func testSuites(_ findings: [AuditFinding]) -> String {
        var suites: [(host: String, target: String, findings: [AuditFinding])] = []
        for finding in findings {
            let host = finding.host ?? PlanRenderer.unassigned, target = finding.target.description
            if let position = suites.firstIndex(where: { $0.host == host && $0.target == target }) {
                suites[position].findings.append(finding)
            } else {
                suites.append((host, target, [finding]))
            }
        }
        var out = ""
        for suite in suites {
            let failures = suite.findings.filter(\.verdict.isProblem).count
            let skipped = suite.findings.filter { $0.verdict == .notAudited }.count
            out +=
                "  <testsuite name=\"\(Self.xml("\(suite.host) on \(suite.target)"))\" hostname=\"\(Self.xml(suite.target))\" "
                + "tests=\"\(suite.findings.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"0\">\n"
            for finding in suite.findings {
                let place = "\(finding.file):\(finding.line)"
                let name = "\(place) \(finding.kind.rawValue) \(finding.subject) on \(suite.target)"
                out +=
                    "    <testcase classname=\"\(Self.xml("runbook.\(suite.host)"))\" name=\"\(Self.xml(name))\" time=\"0\""
                if finding.verdict.isProblem {
                    let message =
                        "\(place): \(finding.verdict.rawValue): expected \(finding.expected ?? "-"), actual \(finding.actual ?? "-")"
                    out +=
                        ">\n      <failure type=\"\(finding.verdict.rawValue)\" message=\"\(Self.xml(message))\">\(Self.xml(finding.detail ?? ""))</failure>\n    </testcase>\n"
                } else if finding.verdict == .notAudited {
                    out +=
                        ">\n      <skipped message=\"\(Self.xml("\(place): \(finding.detail ?? "not audited")"))\"/>\n    </testcase>\n"
                } else {
                    out += "/>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        return out
    }

    /// Text as XML attribute or element content.
    static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            default:
                // XML 1.0 has no place for other control characters.
                if scalar.value >= 0x20 || scalar == "\r" { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    private func color(of verdict: AuditFinding.Verdict) -> String {
        switch verdict {
        case .ok: "32"
        case .drift, .ineffective, .overridden: "1;31"
        case .notAudited: "2"
        }
    }

}
