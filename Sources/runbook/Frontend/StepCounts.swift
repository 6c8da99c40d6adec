import RunbookCore
import RunbookOps

/// The live line of a step that runs on many targets at once, on a terminal: one line with
/// the counts (`[8/9] route  realserver  142 changed, 57 unchanged, 1 failed, 0 running`)
/// instead of a line per target, then the targets where it failed or drifted, each with its
/// message. Called under the executor's lock.
final class StepCounts {
    private let live: ProgressLine
    private let report: ExecReport
    private let total: Int
    private var step: Step?
    private var counts: [StepOutcome.Verdict: Int] = [:]
    private var running = 0
    private var problems: [StepOutcome] = []

    init(live: ProgressLine, report: ExecReport, total: Int) {
        self.live = live
        self.report = report
        self.total = total
    }

    func starting(_ item: ExecPlan.Item) {
        if step?.index != item.step.index {
            finish()
            step = item.step
        }
        running += 1
        live.start(line)
    }

    func ended(_ outcome: StepOutcome) {
        running -= 1
        counts[outcome.verdict, default: 0] += 1
        if outcome.stopsRun { problems.append(outcome) }
        live.start(line)
    }

    /// Prints the step's last counts and its failed targets.
    func finish() {
        guard step != nil else { return }
        live.finish(with: line + "\n" + problems.map { "  " + report.line($0, total: total, warnings: false) }.joined())
        step = nil
        counts = [:]
        running = 0
        problems = []
    }

    private var line: String {
        guard let step else { return "" }
        let shown: [StepOutcome.Verdict] = [.changed, .unchanged, .ok, .failed, .drift, .skipped]
        let parts = shown.compactMap { verdict -> String? in
            let count = counts[verdict, default: 0]
            return count == 0 && ![.changed, .unchanged, .failed].contains(verdict)
                ? nil : "\(count) \(verdict.rawValue)"
        }
        return
            "[\(step.index)/\(total)] \(step.kind.rawValue)  \(step.host ?? PlanRenderer.unassigned)  "
            + (parts + ["\(running) running"]).joined(separator: ", ")
    }
}
