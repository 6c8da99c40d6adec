import RunbookCore

/// What `runbook exec` will do: each selected step with the targets it runs on, decided before
/// anything runs so that it can be shown, confirmed and journaled.
public struct ExecPlan: Sendable {
    public struct Options: Sendable {
        public var targets = TargetMap()
        /// Targets from an inventory (`--inventory`): over the front matter's, under `targets`.
        public var inventoryTargets = TargetMap()
        /// Only this host's steps (on `local` unless mapped).
        public var host: String?
        public var from: Int?
        public var to: Int?
        public var only: Set<Step.Kind>?
        /// Seconds a command may run before its processes are killed.
        public var timeout: Double = 300
        /// A mismatch of a documented starting state fails the step instead of warning.
        public var strict = false
        /// `ssh -F FILE` for ssh:// targets.
        public var sshConfig: String?
        /// Make route changes even when they would cut the SSH connection to the target.
        public var allowDisconnect = false
        /// Apply a route change that would cut the SSH connection together with a timer on the
        /// target that restores the old route after this many seconds unless the run confirms.
        public var revertAfter: Double?
        /// What stands in for IPVS where the kernel has none (the lab's nftables service): IPVS
        /// steps and `ipvsadm -Ln` checks are skipped, saying so, instead of failing.
        public var ipvsStandIn: String?
        /// Steps on targets a resumed run leaves out (see `JournalResume.completed`).
        public var completed: Set<Done> = []
        /// How many targets a step runs on at once.
        public var forks = 10
        /// The share of a role's targets that may drop out (a step failed or drifted there)
        /// before the whole run stops; 0: the first failure stops it.
        public var maxFailPercent: Double = 0

        public init() {}
    }

    /// Refuses a plan whose targets cannot be used here (a namespace that does not exist):
    /// a usage error, before anything runs, rather than a failed or drifted step.
    public func checkTargets() throws(Problem) {
        var seen = Set<Target>()
        for item in items {
            guard let target = item.target, seen.insert(target).inserted else { continue }
            if let reason = target.unavailability { throw Problem(description: "--target \(target): \(reason)") }
        }
    }

    /// A step that ran to success on a target, by the journal.
    public struct Done: Hashable, Sendable {
        public var step: Int
        public var target: String?
    }

    public struct Item: Sendable {
        public var step: Step
        /// Nil: the step's host is mapped to no target, so it is skipped, never run elsewhere.
        public var target: Target?
    }

    /// Why a plan cannot be made (see `UsageProblem`).
    public typealias Problem = UsageProblem

    public var runbook: Runbook
    public var options: Options
    public var items: [Item]

    /// How many targets each role runs on (`--max-fail-percent` is a share of these).
    public var targetCounts: [String: Int] {
        var targets: [String: Set<Target>] = [:]
        for item in items {
            guard let target = item.target else { continue }
            targets[item.step.host ?? "", default: []].insert(target)
        }
        return targets.mapValues(\.count)
    }
    /// Front matter `vars:` overridden by `--set` (the runbook was read with them), passed to
    /// commands as environment variables.
    public var variables: [String: String] { runbook.variables }

    public init(runbook: Runbook, options: Options) throws(Problem) {
        self.runbook = runbook
        self.options = options
        let selected = runbook.steps.filter { step in
            (options.host == nil || step.host == options.host)
                && (options.from.map { step.index >= $0 } ?? true)
                && (options.to.map { step.index <= $0 } ?? true)
                && (options.only.map { $0.contains(step.kind) } ?? true)
        }
        if let host = options.host, !runbook.hosts.contains(host) {
            throw Problem(
                description:
                    "no steps for host '\(host)' in \(runbook.file) (hosts: \(runbook.hosts.joined(separator: ", ")))")
        }
        var targets = try Self.frontMatterTargets(runbook)
        targets.roles.merge(options.inventoryTargets.roles) { $1 }
        targets.roles.merge(options.targets.roles) { $1 }
        let hosts = Set(selected.map { $0.host ?? "" })
        if targets.roles.isEmpty, options.host == nil, hosts.count > 1 {
            let names = runbook.hosts.joined(separator: ", ")
            throw Problem(
                description: """
                    \(runbook.file) has steps for several hosts (\(names)); running them all on this machine is almost \
                    never what a runbook means. Map each host to a target (--target director=local \
                    --target realserver=netns:rs1,netns:rs2, or `targets:` in the front matter), or run one host with --host NAME.
                    """)
        }
        // A role given with --target that no step names is a typo, and would run nothing.
        let named = Set(runbook.hosts)
        if let unknown = options.targets.roles.keys.sorted().first(where: { !named.contains($0) }) {
            throw Problem(
                description:
                    "--target names role '\(unknown)', which no step of \(runbook.file) runs on (hosts: \(runbook.hosts.joined(separator: ", ")))"
            )
        }
        items = selected.flatMap { step -> [Item] in
            if let host = step.host, let mapped = targets.roles[host] {
                // An inventory group that --limit emptied: the steps are skipped, never run here.
                return mapped.isEmpty ? [Item(step: step, target: nil)] : mapped.map { Item(step: step, target: $0) }
            }
            if targets.roles.isEmpty { return [Item(step: step, target: .local)] }
            return [Item(step: step, target: nil)]
        }
        if !options.completed.isEmpty {
            items.removeAll { options.completed.contains(Done(step: $0.step.index, target: $0.target?.description)) }
        }
        try Self.refuseHostWideSettings(items, file: runbook.file)
    }

    /// A step a target cannot take (a host-wide sysctl on a namespace, see
    /// `Target.refusal(ofSysctl:)`) is refused before anything runs, at its line.
    private static func refuseHostWideSettings(_ items: [Item], file: String) throws(Problem) {
        for item in items {
            guard case .sysctl(let setting) = item.step.action, let reason = item.target?.refusal(ofSysctl: setting.key)
            else { continue }
            throw Problem(.error(file, item.step.line, reason))
        }
    }

    private static func frontMatterTargets(_ runbook: Runbook) throws(Problem) -> TargetMap {
        do {
            return try TargetMap.fromFrontMatter(runbook.frontMatter, file: runbook.file)
        } catch {
            throw Problem(error)
        }
    }

    /// The variables the selected commands read that nothing gives a value, each at the first
    /// step that reads it: asked for, or refused, before anything runs, since a command run
    /// with one empty does something else than the doc says. `environment`: the names of
    /// runbook's own environment, which the commands inherit.
    public func unsetVariables(environment: Set<String>) -> [RunbookLint.UnsetVariable] {
        let selected = Set(items.map(\.step.index))
        var seen = Set<String>()
        return RunbookLint.unsetVariables(runbook, known: environment).filter {
            selected.contains($0.step) && seen.insert($0.name).inserted
        }
    }

    /// What the step does on its target, in the words of the commands an admin would type.
    public static func action(of step: Step, on target: Target) -> String {
        switch step.action {
        case .sysctl(let setting):
            var text = "write \(setting.value) to \(SysctlKey.procPath(setting.key))"
            if let file = setting.persist {
                text +=
                    "; set \(setting.key) = \(setting.value) in \(target.persistPath(file) ?? "(cannot persist \(file) in a namespace)")"
            }
            return text
        case .route(let change):
            return change.iprouteCommand
        case .address(let change):
            return change.iprouteCommand
        case .ipvs(let rule):
            return rule.ipvsadmCommand
        case .command(let command):
            return command.text
        }
    }
}

extension RouteChange {
    /// The iproute2 command that makes this change (net-tools is often not installed).
    public var iprouteCommand: String {
        var words = ["ip", "route", action.rawValue, destination]
        if let gateway { words += ["via", gateway] }
        if let device { words += ["dev", device] }
        if let metric { words += ["metric", String(metric)] }
        return words.map(ShellQuote.word).joined(separator: " ")
    }
}
