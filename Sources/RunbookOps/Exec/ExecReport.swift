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
    public func summary(_ outcomes: [StepOutcome], planned: Int) -> String {
        let verdicts: [StepOutcome.Verdict] = [.changed, .unchanged, .ok, .failed, .drift, .skipped]
        var hosts: [String] = []
        for outcome in outcomes where !hosts.contains(outcome.step.host ?? PlanRenderer.unassigned) {
            hosts.append(outcome.step.host ?? PlanRenderer.unassigned)
        }
        let width = max(4, hosts.map(\.count).max() ?? 0)
        var out = "\n" + pad("host", width) + verdicts.map { "  " + pad($0.rawValue, 9) }.joined() + "\n"
        for host in hosts {
            let mine = outcomes.filter { ($0.step.host ?? PlanRenderer.unassigned) == host }
            out +=
                pad(host, width)
                + verdicts.map { verdict in "  " + pad(String(mine.filter { $0.verdict == verdict }.count), 9) }
                .joined() + "\n"
        }
        if let last = outcomes.last, last.stopsRun, outcomes.count < planned {
            out +=
                "stopped after step \(last.step.index) (\(last.verdict.rawValue)); \(planned - outcomes.count) step run(s) not attempted\n"
        }
        return out
    }

    private func verdictColor(_ verdict: StepOutcome.Verdict) -> String {
        switch verdict {
        case .ok, .unchanged: "32"
        case .changed: "33"
        case .failed, .drift: "1;31"
        case .skipped: "2"
        }
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

}
