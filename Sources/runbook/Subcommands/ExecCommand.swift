import ArgumentParser
import RunbookCore
import RunbookExport
import RunbookOps

/// Who runs the steps: runbook itself, or Ansible with the exported playbook.
enum Engine: String, ExpressibleByArgument, CaseIterable {
    case runbook, ansible
}

struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a runbook's steps on the right hosts, idempotently, checking what the doc promises.",
        discussion: """
            Each host the doc names (a role such as `director`) runs on the targets you map it \
            to: `local`, `netns:NAME` (inside that network namespace, as `ip netns exec` does), \
            `ssh://[user@]host[:port]` (OpenSSH in BatchMode, one connection reused by all steps). \
            A role may have several targets: --target realserver=netns:rs1,netns:rs2. The same \
            map may stand under `targets:` in the front matter; --target wins. Steps whose host \
            has no target are skipped, never run elsewhere.

            sysctl steps read the value first and write only when it differs, straight to \
            /proc/sys; persisted settings are edited in place in their file (in /etc/netns/NAME/ \
            for a namespace). Route steps check the table first. Commands run in one shell per \
            target; documented output is compared (route tables as sets of routes), a documented \
            starting state ("may look like") only warns unless --strict.

            On an ssh:// target, a route change that would leave the target no route back to \
            this machine is refused unless --allow-disconnect, or applied with --revert-after \
            SECONDS: a timer on the target restores the old route unless the connection survives.

            --check changes nothing: each step is compared with the target as it is now and \
            reported as would-change (with the current value, the route or address command, or \
            a unified diff of the persisted file) or unchanged, as ansible-playbook --check \
            --diff does. Commands are not run; documented tables are compared with the kernel's. \
            --dry-run, by contrast, prints the plan without looking at any target.

            Reports: --report FORMAT[:FILE] (text, json, junit) may be repeated, e.g. \
            --report junit:exec.xml; in JUnit a target is a test suite and a step a test case.

            Nothing runs without --yes or a confirmation on a terminal. A variable a command \
            reads that nothing sets (vars:, --set, an earlier step, this environment) is asked \
            for on a terminal first; without one it is an error at its line, and nothing runs. \
            A step runs on all of its role's targets at once (at most --forks, 10 by default), \
            each target's steps in document order. A target whose step fails or drifts drops \
            out; the run stops once more than --max-fail-percent of a role's targets have \
            dropped out (0 by default: at the first). On a terminal a step on several targets \
            shows one line of counts, then the targets where it failed. Every step on every \
            target is recorded in a JSONL journal (.runbook/journal/ by default); --resume and \
            --rollback work per target.

            Exit status: 0 all steps ok, 1 a step failed or drifted, 2 usage or parse error, \
            130 interrupted (Ctrl-C kills the running step's processes and is journaled).

            Examples:
              runbook exec runbooks/one-network-nat.md --target director=netns:d --target realserver=netns:rs1 --dry-run
              runbook exec runbooks/one-network-nat.md --target director=netns:d --check
              runbook exec runbooks/one-network-nat.md --host director --yes
            """
    )

    @Argument(help: "The Markdown runbook to run.")
    var file: String?

    @Option(
        help: ArgumentHelp(
            "Undo what the steps recorded in this journal changed (sysctl values, persisted files, routes), last first, and exit.",
            valueName: "journal"))
    var rollback: String?

    @OptionGroup var target: TargetOptions

    @Option(help: "Run only this host's steps (on local unless mapped).")
    var host: String?

    @OptionGroup var how: ExecOptions

    @OptionGroup var variables: VariableOptions

    @OptionGroup var fleet: FleetOptions

    @Option(
        help:
            "runbook runs the steps itself; ansible runs the exported playbook with ansible-playbook on --inventory's hosts and reports per step and host as runbook does."
    )
    var engine: Engine = .runbook

    @Flag(name: [.short, .long], help: "Run without asking for confirmation.")
    var yes = false

    @Flag(help: "Ask before each step: [y]es, [n]o (skip it), [q]uit, [a]ll the rest. Needs a terminal.")
    var step = false

    @Flag(help: "Print the plan with the exact actions per target, and exit.")
    var dryRun = false

    @Flag(
        help:
            "Change nothing: per step, say whether it would change the target (with the current value, or a diff of the persisted file) or is unchanged, as ansible-playbook --check --diff does."
    )
    var check = false

    @OptionGroup var reports: ReportOptions

    @Option(help: "Append the journal to this file instead of .runbook/journal/<runbook>-<time>.jsonl.")
    var journal: String?

    @Flag(
        help:
            "Continue a stopped run from the step that failed, drifted or was interrupted, appending to its journal (the latest one of this runbook, or --journal)."
    )
    var resume = false

    func validate() throws {
        if (file == nil) == (rollback == nil) {
            throw ValidationError("give either a runbook FILE to run, or --rollback JOURNAL")
        }
        if engine == .ansible {
            guard target.inventory != nil else {
                throw ValidationError(
                    "--engine ansible runs on the hosts of an Ansible inventory: give --inventory FILE")
            }
            if !target.targets.isEmpty || step || resume || rollback != nil || how.selects {
                throw ValidationError(
                    "--engine ansible runs the whole playbook on the inventory's hosts: it takes no --target, --step, --resume, --rollback, --from, --to or --only"
                )
            }
        }
        if check, dryRun || resume || step || rollback != nil {
            throw ValidationError(
                "--check reads the targets and changes nothing; it does not go with --dry-run, --resume, --step or --rollback"
            )
        }
    }

    func run() throws {
        if let rollback { return try undo(rollback) }
        guard let file else { return }
        var overrides = try variables.overrides()
        var runbook = try Output.load(file, overrides: overrides)
        var options = ExecPlan.Options()
        options.targets = try target.map()
        options.inventoryTargets = try target.inventoryMap(for: runbook)
        options.host = host
        how.apply(to: &options)
        var journalPath = journal
        if resume {
            guard let path = journal ?? JournalResume.latestJournal(for: file) else {
                Output.error("no journal of \(file) to resume under .runbook/journal (give one with --journal)")
                throw ExitCodeError.parse
            }
            options.completed = try JournalResume.completed(journal: path)
            journalPath = path
        }
        options.sshConfig = target.sshConfig
        options.forks = fleet.forks
        var plan = try ExecPlan(runbook: runbook, options: options)
        let unset = plan.unsetVariables(environment: Output.environmentNames)
        if !unset.isEmpty, !dryRun {
            overrides.merge(try Output.askForValues(of: unset, file: runbook.file)) { $1 }
            // As if given with --set: the steps that read them are typed anew.
            runbook = try Output.load(file, overrides: overrides, warnings: false)
            plan = try ExecPlan(runbook: runbook, options: options)
        }
        if resume, let path = journalPath {
            guard let first = plan.items.first else {
                Output.standardOutput("\(path): every step ran and succeeded; nothing to resume\n")
                return
            }
            Output.standardOutput("resuming from step \(first.step.index) (journal \(path))\n")
        }
        let report = ExecReport(color: Output.wantsColor(reports.textOnStandardOutput ? .output : .error))
        let plain = ExecReport(color: false)
        if dryRun {
            Output.standardOutput(report.plan(plan))
            Output.report(unset.map { $0.diagnostic(.warning, file: runbook.file) })
            return
        }
        try plan.checkTargets()
        if engine == .ansible { return try runAnsible(plan, report: report, plain: plain) }
        if check { return try checkOnly(plan, report: report, plain: plain) }
        if !step {
            try Confirmation.confirm(
                ExecReport(color: Output.wantsColor(.error)).plan(plan), question: "Run these steps?", yes: yes)
        }
        guard !step || Platform.isTerminal(.input) else {
            Output.error("--step asks before each step, and there is no terminal to ask on")
            throw ExitCodeError.parse
        }
        let journalFile = try Self.openJournal(journalPath, for: file)
        let executor = Executor(plan: plan, journal: journalFile)
        let total = runbook.steps.count
        let outcomes: [StepOutcome]
        // Step lines are the text report: kept for `--report text:FILE`, and shown on standard
        // error when standard output carries another format. Warnings go to standard error, as
        // the compiler-style diagnostics do.
        var transcript = ""
        let asking: ((ExecPlan.Item) -> Executor.Decision)? = step ? { Confirmation.ask($0, total: total) } : nil
        if Output.wantsLiveProgress, !step, reports.textOnStandardOutput {
            let live = ProgressLine()
            // A step on several targets shows counts; a step on one, its own line.
            var targets: [Int: Int] = [:]
            for item in plan.items { targets[item.step.index, default: 0] += 1 }
            let counts = StepCounts(live: live, report: report, total: total)
            outcomes = Interruption.handling {
                executor.run(
                    starting: {
                        if targets[$0.step.index, default: 1] > 1 { return counts.starting($0) }
                        counts.finish()
                        live.start(
                            report.label($0.step, on: $0.target, total: total) + "  " + PlanRenderer.summary($0.step))
                    },
                    progress: {
                        transcript += plain.line($0, total: total, warnings: false)
                        if targets[$0.step.index, default: 1] > 1 {
                            counts.ended($0)
                        } else {
                            live.finish(with: report.line($0, total: total, warnings: false))
                        }
                        Output.standardError(report.warnings($0))
                    })
            }
            counts.finish()
            live.stop()
        } else {
            outcomes = Interruption.handling {
                executor.run(
                    asking: asking,
                    progress: {
                        transcript += plain.line($0, total: total, warnings: false)
                        reports.show(report.line($0, total: total, warnings: false))
                        Output.standardError(report.warnings($0))
                    })
            }
        }
        let summary =
            report.summary(
                outcomes, planned: plan.items.count, dropped: executor.dropped, stopped: executor.stoppedBecause)
            + "journal: \(journalFile.path)\n"
        reports.show(summary)
        try writeReports(
            outcomes,
            text: transcript
                + plain.summary(
                    outcomes, planned: plan.items.count, dropped: executor.dropped, stopped: executor.stoppedBecause),
            file: file)
        if let failure = executor.journalFailure {
            Output.error("\(failure); the run stopped there (--rollback can undo only what the journal holds)")
            throw ExitCode(1)
        }
        if let signal = executor.interrupted {
            Output.standardError("runbook: interrupted (signal \(signal)); the running step's processes were killed\n")
            throw ExitCode(128 + signal)
        }
        if outcomes.contains(where: \.stopsRun) || executor.declined { throw ExitCode(1) }
    }
}
