import ArgumentParser
import RunbookCore
import RunbookOps

/// The questions exec asks on a terminal before it changes anything.
enum Confirmation {
    /// `--yes`, or a `y` typed on a terminal after seeing `plan`; without a terminal, refuse.
    /// Declining exits 1: what the caller asked for did not happen.
    static func confirm(_ plan: String, question: String, yes: Bool) throws {
        if yes { return }
        guard Platform.isTerminal(.input) else {
            Output.error(
                "refusing to run without --yes: there is no terminal to confirm on (see --dry-run for the plan)")
            throw ExitCodeError.parse
        }
        Output.standardError(plan + "\n\(question) [y/N] ")
        guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
            Output.standardError("nothing was run\n")
            throw ExitCode(1)
        }
    }

    /// `exec --step`: the step, then `[y]es / [n]o / [q]uit / [a]ll`; anything else asks again,
    /// and the end of input quits.
    static func ask(_ item: ExecPlan.Item, total: Int) -> Executor.Decision {
        let report = ExecReport(color: Output.wantsColor(.error))
        while true {
            Output.standardError(
                report.label(item.step, on: item.target, total: total) + "  " + PlanRenderer.summary(item.step)
                    + "\n  run it? [y]es / [n]o (skip) / [q]uit / [a]ll: ")
            guard let answer = readLine()?.lowercased() else { return .quit }
            switch answer {
            case "y", "yes": return .run
            case "n", "no": return .skip
            case "q", "quit": return .quit
            case "a", "all": return .all
            default: continue
            }
        }
    }
}
