import RunbookCore

/// The reports of `runbook audit`: text for people, JSON for scripts, JUnit XML for CI systems.
public struct AuditReport: ColoredText {
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    public func render(_ findings: [AuditFinding], as format: ReportFormat) -> String {
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
        let unreachable = findings.filter { $0.verdict == .error }.count
        let counts = [AuditFinding.Verdict.ok, .drift, .ineffective, .overridden, .notAudited, .error].map { verdict in
            "\(findings.filter { $0.verdict == verdict }.count) \(verdict.rawValue)"
        }
        out +=
            "\n"
            + (unreachable > 0
                ? paint("\(unreachable) target(s) could not be audited", "1;31")
                    + (problems == 0 ? "" : paint("; \(problems) finding(s) differ from the runbook", "1;31"))
                : problems == 0
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

    /// A test suite per target, a test case per finding; drift, ineffective and overridden
    /// values are failures, a target that could not be reached or read is an error, commands
    /// runbook does not re-run are skipped.
    public func junit(_ findings: [AuditFinding]) -> String {
        JUnit(name: "runbook audit", suites: Self.suites(findings)).xml()
    }

    /// The suites of `junit`, for reports that hold findings among other cases: one per target,
    /// named so and with the target as `hostname`, each finding a case of class `runbook.HOST`
    /// whose name holds its line, kind and subject and the target (so that two targets of one
    /// role that differ are two distinct cases), with the `file:line` in every message.
    static func suites(_ findings: [AuditFinding]) -> [JUnit.Suite] {
        var suites: [JUnit.Suite] = []
        for finding in findings {
            let target = finding.target.description
            let place = "\(finding.file):\(finding.line)"
            let result: JUnit.Case.Result
            switch finding.verdict {
            case .ok: result = .passed
            case .drift, .ineffective, .overridden:
                result = .failure(
                    type: finding.verdict.rawValue,
                    message:
                        "\(place): \(finding.verdict.rawValue): expected \(finding.expected ?? "-"), actual \(finding.actual ?? "-")",
                    detail: finding.detail)
            case .error:
                result = .error(type: "unreachable", message: "\(place): \(finding.detail ?? "error")", detail: nil)
            case .notAudited:
                result = .skipped(message: "\(place): \(finding.detail ?? "not audited")")
            }
            let testCase = JUnit.Case(
                classname: "runbook.\(finding.host ?? PlanRenderer.unassigned)",
                name: "\(place) \(finding.kind.rawValue) \(finding.subject) on \(target)", time: finding.time,
                result: result)
            if let position = suites.firstIndex(where: { $0.name == target }) {
                suites[position].cases.append(testCase)
                suites[position].time = (suites[position].time ?? 0) + (finding.time ?? 0)
            } else {
                suites.append(JUnit.Suite(name: target, hostname: target, time: finding.time, cases: [testCase]))
            }
        }
        return suites
    }

    private func color(of verdict: AuditFinding.Verdict) -> String {
        switch verdict {
        case .ok: "32"
        case .drift, .ineffective, .overridden: "1;31"
        case .notAudited: "2"
        case .error: "1;31"
        }
    }

}
