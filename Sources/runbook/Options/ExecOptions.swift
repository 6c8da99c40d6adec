import ArgumentParser
import RunbookCore
import RunbookOps

extension Step.Kind: ExpressibleByArgument {}

/// Which steps exec runs, and how carefully.
struct ExecOptions: ParsableArguments {
    @Option(help: "Start at step N.")
    var from: Int?

    @Option(help: "Stop after step N.")
    var to: Int?

    @Option(help: "Run only steps of this kind (sysctl, route, address, ipvs, command); repeatable.")
    var only: [Step.Kind] = []

    @Option(
        help:
            "Seconds a command may run before its processes are killed; an ssh target must answer within as long (30 at most)."
    )
    var timeout: Double = 300

    @Option(
        help: ArgumentHelp(
            "Stop the run once more than P % of a role's targets have dropped out (a step failed or drifted there); the others go on until then. 0: the first failure stops the run.",
            valueName: "p"))
    var maxFailPercent: Double = 0

    @Flag(help: "Fail, instead of warning, when a documented starting state differs.")
    var strict = false

    @Flag(help: "Make a route change even when it would leave an ssh:// target no route back to this machine.")
    var allowDisconnect = false

    @Option(
        help: ArgumentHelp(
            "Make such a route change with a timer on the target that restores the old route after SECONDS unless the connection survives (like commit confirmed).",
            valueName: "seconds"))
    var revertAfter: Double?

    func validate() throws {
        guard (0...100).contains(maxFailPercent) else {
            throw ValidationError("--max-fail-percent takes 0 to 100; got \(maxFailPercent)")
        }
        for (option, seconds) in [("--timeout", timeout), ("--revert-after", revertAfter ?? 1)]
        where !seconds.isFinite || seconds <= 0 {
            throw ValidationError("\(option) takes a number of seconds above 0; got \(seconds)")
        }
    }

    /// Whether only some of the steps are asked for.
    var selects: Bool { from != nil || to != nil || !only.isEmpty }

    func apply(to options: inout ExecPlan.Options) {
        options.from = from
        options.to = to
        options.only = only.isEmpty ? nil : Set(only)
        options.timeout = timeout
        options.strict = strict
        options.allowDisconnect = allowDisconnect
        options.revertAfter = revertAfter
        options.maxFailPercent = maxFailPercent
    }
}
