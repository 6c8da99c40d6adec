import RunbookCore

/// Text for `runbook exec`: the plan shown before anything runs, a line per finished step, and
/// the summary table.
public struct ExecReport: ColoredText {
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    /// Every step with the exact action per target, grouped by target in run order.
    public func plan(_ plan: ExecPlan) -> String {
        var groups: [(String, [ExecPlan.Item])] = []
        for item in plan.items {
            let name =
                item.target.map { "\(item.step.host ?? PlanRenderer.unassigned) on \($0)" }
                ?? "skipped: \(item.step.host ?? PlanRenderer.unassigned) has no target"
            if let position = groups.firstIndex(where: { $0.0 == name }) {
                groups[position].1.append(item)
            } else {
                groups.append((name, [item]))
            }
        }
        let targets = Set(plan.items.compactMap(\.target)).count
        var out = "\(plan.runbook.file): \(plan.items.count) step runs on \(targets) target\(targets == 1 ? "" : "s")\n"
        for (name, items) in groups {
            out += "\n" + paint(name, "1;36") + "\n"
            for item in items {
                let action =
                    item.target.map { ExecPlan.action(of: item.step, on: $0) + PlanRenderer.variablesNote(item.step) }
                    ?? PlanRenderer.summary(item.step)
                out +=
                    "  \(pad(String(item.step.index), 3))  \(pad(item.step.kind.rawValue, 7)) \(action)  "
                    + paint("line \(item.step.line)", "2") + "\n"
            }
        }
        if !plan.variables.isEmpty {
            out +=
                "\nenvironment: "
                + plan.variables.keys.sorted().map { "\($0)=\(plan.variables[$0]!)" }.joined(separator: " ") + "\n"
        }
        return out
    }

    /// `[3/9] director@netns:lab-d  sysctl`: which step runs where.
    public func label(_ step: Step, on target: Target?, total: Int) -> String {
        "[\(step.index)/\(total)] \(step.host ?? PlanRenderer.unassigned)@\(target?.description ?? "-")  \(step.kind.rawValue)"
    }

    /// `[3/9] director@netns:lab-d  sysctl  changed  net.ipv4...: 1 -> 0`
    /// A step's outcome; its warnings too unless `warnings` is false (exec prints those on
    /// standard error, with `warnings(_:)`).
    public func line(_ outcome: StepOutcome, total: Int, warnings: Bool = true) -> String {
        var out = label(outcome.step, on: outcome.target, total: total) + "  "
        out += paint(outcome.verdict.rawValue, verdictColor(outcome.verdict)) + "  \(outcome.message)\n"
        if warnings { out += self.warnings(outcome) }
        if let diff = outcome.diff { out += diff.split(separator: "\n").map { "    \(colorDiff($0))\n" }.joined() }
        if outcome.verdict == .failed, !outcome.stderr.isEmpty {
            out += outcome.stderr.split(separator: "\n").prefix(20).map { "    stderr: \($0)\n" }.joined()
        }
        return out
    }

    /// `    warning: ...` lines of a step, each naming the step's target.
    public func warnings(_ outcome: StepOutcome) -> String {
        outcome.warnings.map { "    " + paint("warning:", "1;35") + " \($0)\n" }.joined()
    }

    /// Counts per host and verdict, and what stopped the run.
    /// `dropped`: targets that dropped out of the run; `stopped`: why the run stopped early.
    public func summary(
        _ outcomes: [StepOutcome], planned: Int, dropped: [Target] = [], stopped: String? = nil
    ) -> String {
        let checked = outcomes.contains { $0.verdict == .wouldChange }
        let verdicts: [StepOutcome.Verdict] = [
            checked ? .wouldChange : .changed, .unchanged, .ok, .failed, .drift, .skipped,
        ]
        var hosts: [String] = []
        for outcome in outcomes where !hosts.contains(outcome.step.host ?? PlanRenderer.unassigned) {
            hosts.append(outcome.step.host ?? PlanRenderer.unassigned)
        }
        let width = max(4, hosts.map(\.count).max() ?? 0)
        let column = checked ? 12 : 9
        var out = "\n" + pad("host", width) + verdicts.map { "  " + pad($0.rawValue, column) }.joined() + "\n"
        for host in hosts {
            let mine = outcomes.filter { ($0.step.host ?? PlanRenderer.unassigned) == host }
            out +=
                pad(host, width)
                + verdicts.map { verdict in "  " + pad(String(mine.filter { $0.verdict == verdict }.count), column) }
                .joined() + "\n"
        }
        let missing = planned - outcomes.count
        if !dropped.isEmpty {
            out += "dropped out: " + dropped.map(\.description).joined(separator: ", ") + "\n"
        }
        if let stopped {
            out += "stopped: \(stopped)" + (missing > 0 ? "; \(missing) step run(s) not attempted\n" : "\n")
        } else if missing > 0, !dropped.isEmpty {
            out += "\(missing) step run(s) not attempted on the targets that dropped out\n"
        }
        return out
    }

    /// One object per step run, for scripts.
    public func json(_ outcomes: [StepOutcome], file: String) -> String {
        var writer = JSONWriter()
        writer.beginArray()
        for outcome in outcomes { Self.write(outcome, file: file, to: &writer) }
        writer.endArray()
        return String(decoding: writer.bytes, as: UTF8.self) + "\n"
    }

    /// A step run as a JSON object: in `exec`'s report and in `lab run`'s.
    static func write(_ outcome: StepOutcome, file: String, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("step", outcome.step.index)
        writer.field("host", outcome.step.host)
        writer.field("target", outcome.target?.description)
        writer.field("kind", outcome.step.kind.rawValue)
        writer.field("verdict", outcome.verdict.rawValue)
        writer.field("message", outcome.message)
        writer.field("diff", outcome.diff)
        writer.key("warnings")
        writer.beginArray()
        for warning in outcome.warnings { writer.string(warning) }
        writer.endArray()
        writer.field("file", file)
        writer.field("line", outcome.step.line)
        writer.field("milliseconds", Int(((outcome.ended - outcome.started) * 1000).rounded()))
        writer.endObject()
    }

    public func junit(_ outcomes: [StepOutcome], file: String) -> String {
        JUnit(name: "runbook exec", suites: Self.suites(outcomes, file: file)).xml()
    }

    /// A suite per target, a case per step run, of class `runbook.HOST`: drift is a failure; a
    /// failed step (a command that exited non-zero, a target that could not be reached) is an
    /// error.
    static func suites(_ outcomes: [StepOutcome], file: String) -> [JUnit.Suite] {
        var suites: [JUnit.Suite] = []
        for outcome in outcomes {
            let target = outcome.target?.description ?? "no target"
            let place = "\(file):\(outcome.step.line)"
            let seconds = outcome.ended - outcome.started
            let result: JUnit.Case.Result
            switch outcome.verdict {
            case .ok, .changed, .unchanged, .wouldChange: result = .passed
            case .drift: result = .failure(type: "drift", message: "\(place): \(outcome.message)", detail: outcome.diff)
            case .failed:
                result = .error(
                    type: "failed", message: "\(place): \(outcome.message)",
                    detail: outcome.stderr.isEmpty ? nil : outcome.stderr)
            case .skipped: result = .skipped(message: "\(place): \(outcome.message)")
            }
            let testCase = JUnit.Case(
                classname: "runbook.\(outcome.step.host ?? PlanRenderer.unassigned)",
                name: "step \(outcome.step.index) \(PlanRenderer.summary(outcome.step)) (\(place)) on \(target)",
                time: seconds, result: result)
            if let position = suites.firstIndex(where: { $0.name == target }) {
                suites[position].cases.append(testCase)
                suites[position].time = (suites[position].time ?? 0) + seconds
            } else {
                suites.append(JUnit.Suite(name: target, hostname: target, time: seconds, cases: [testCase]))
            }
        }
        return suites
    }

    private func verdictColor(_ verdict: StepOutcome.Verdict) -> String {
        switch verdict {
        case .ok, .unchanged: "32"
        case .changed, .wouldChange: "33"
        case .failed, .drift: "1;31"
        case .skipped: "2"
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

}
