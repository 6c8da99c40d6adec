/// Human-readable views of a runbook: `runbook plan` (grouped by host, the order things will
/// run in) and the text format of `runbook parse` (one compiler-style line per step).
public struct PlanRenderer: ColoredText {
    /// ANSI colour, only when the CLI writes to a terminal and `NO_COLOR` is unset.
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    /// The heading under which steps that name no host are listed.
    public static let unassigned = "(no host)"

    public func plan(_ runbook: Runbook, host: String? = nil) -> String {
        let steps = runbook.steps.filter { host == nil || $0.host == host }
        var groups: [(String, [Step])] = []
        for step in steps {
            let name = step.host ?? Self.unassigned
            if let position = groups.firstIndex(where: { $0.0 == name }) {
                groups[position].1.append(step)
            } else {
                groups.append((name, [step]))
            }
        }
        var out = ""
        if let title = runbook.title { out += paint(title, "1") + "\n" }
        let hostCount = groups.count
        out += "\(runbook.file): \(count(steps.count, "step")) on \(count(hostCount, "host"))\n"
        let width = String(steps.last?.index ?? 0).count
        for (name, group) in groups {
            out += "\n" + paint(name, "1;36") + " (\(count(group.count, "step")))\n"
            let summaries = group.map(Self.summary)
            // Align the `file:line` column, unless one long command would push it off screen.
            let column = min(summaries.map(\.count).max() ?? 0, 72)
            for (step, summary) in zip(group, summaries) {
                let number = String(repeating: " ", count: width - String(step.index).count) + String(step.index)
                let kind = step.kind.rawValue.padding(to: 7)
                out += "  \(number)  \(paint(kind, kindColor(step.kind))) \(summary.padding(to: column))  "
                out += paint("\(runbook.file):\(step.line)", "2") + "\n"
            }
        }
        return out
    }

    /// `file:line: N host kind: summary`, in document order.
    public func list(_ runbook: Runbook) -> String {
        var out = ""
        for step in runbook.steps {
            out += paint("\(runbook.file):\(step.line):", "2") + " \(step.index) "
            out += paint(step.host ?? Self.unassigned, "36") + " "
            out += paint(step.kind.rawValue, kindColor(step.kind)) + ": \(Self.summary(step))\n"
        }
        return out
    }

    /// One line that says what a step does.
    public static func summary(_ step: Step) -> String {
        action(step) + variablesNote(step)
    }

    /// `  ($FWD)`: the variables a typed step's values came from, after what it does; a reader
    /// comparing the plan with the doc looks for them.
    public static func variablesNote(_ step: Step) -> String {
        step.variables.isEmpty ? "" : "  (" + step.variables.map { "$" + $0 }.joined(separator: ", ") + ")"
    }

    private static func action(_ step: Step) -> String {
        switch step.action {
        case .sysctl(let setting):
            var text = "sysctl \(setting.key) = \(setting.value)"
            if let file = setting.persist { text += " in \(file)" }
            return text
        case .route(let change):
            var text = "route \(change.action.rawValue) \(change.destination)"
            if let gateway = change.gateway { text += " via \(gateway)" }
            if let device = change.device { text += " dev \(device)" }
            if let metric = change.metric { text += " metric \(metric)" }
            return text
        case .address(let change):
            var text = "address \(change.action.rawValue) \(change.address ?? "(the label's)") dev \(change.device)"
            if let label = change.label { text += " label \(label)" }
            return text
        case .ipvs(let rule):
            return "ipvs " + rule.summary
        case .command(let command):
            var text = firstLine(command.text)
            if let expect = command.expect {
                if let routes = expect.routes {
                    text += "; expect \(count(routes.count, "route"))"
                } else if let ipvs = expect.ipvs {
                    text += "; expect \(count(ipvs.count, "IPVS service"))"
                } else if let addresses = expect.addresses {
                    text += "; expect \(count(addresses.count, "address", "addresses"))"
                } else {
                    text +=
                        "; expect \(count(expect.output.split(separator: "\n", omittingEmptySubsequences: false).count, "line")) of output"
                }
            }
            return text
        }
    }

    /// A command's first line, cut to `width` characters, `…` marking what is left out.
    package static func firstLine(_ text: String, width: Int = 72) -> String {
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        var first = String(lines[0])
        if first.count > width { first = String(first.prefix(width - 1)) + "…" }
        return lines.count > 1 ? first + " …" : first
    }

    private func kindColor(_ kind: Step.Kind) -> String {
        switch kind {
        case .sysctl: "33"
        case .route: "35"
        case .address: "34"
        case .ipvs: "94"
        case .command: "32"
        }
    }

}

private func count(_ number: Int, _ noun: String, _ plural: String? = nil) -> String {
    "\(number) \(number == 1 ? noun : plural ?? noun + "s")"
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
